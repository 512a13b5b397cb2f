/**
 * Shape checking of YAML nodes against the step definitions: unknown keys (with did-you-mean),
 * wrong types, missing fields, keys that exclude or need each other. Readers get back only the
 * fields that passed, so building the AST never meets a value of the wrong kind.
 */
import { isAlias, isMap, isScalar, isSeq, type Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import type { Span } from "../ast.js";
import { SCALARS, type ObjectShape, type Shape, type YamlScalarType } from "../step-definitions.js";
import { didYouMean } from "../suggest.js";
import type { YamlContext } from "./context.js";

/** A map's fields that passed the shape check, by key. */
export interface Fields {
  node: YAMLMap;
  /** Known keys whose values have the right shape. */
  pairs: Map<string, Pair<Scalar, Node>>;
}

/** The YAML type of a scalar as the core schema read it. */
export function scalarType(node: Scalar): YamlScalarType {
  const v = node.value;
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || typeof v === "bigint") return "number";
  if (typeof v === "boolean") return "boolean";
  return "string";
}

/** "a map", "a list", "the number `3`"...: what a node is, for messages. */
export function describeNode(node: unknown): string {
  if (isMap(node)) return "a map";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    switch (scalarType(node)) {
      case "null":
        return "nothing";
      case "number":
        return `the number \`${String(node.source ?? node.value)}\``;
      case "boolean":
        return `\`${String(node.value)}\``;
      default:
        return "a text";
    }
  }
  return isAlias(node) ? "an alias (`*name` is not supported in flows)" : "an unknown node";
}

/** True when the node has the outer form the shape wants (nested values are checked by their reader). */
export function fits(node: unknown, shape: Shape): boolean {
  switch (shape.type) {
    case "scalar":
      return isScalar(node) && (SCALARS[shape.scalar].accepts as readonly string[]).includes(scalarType(node));
    case "list":
    case "steps":
      return isSeq(node);
    case "object":
    case "params":
    case "arguments":
      return isMap(node);
    case "either":
      return shape.options.some((option) => fits(node, option));
  }
}

/** What a shape expects, for "expected ..." messages. */
export function expectedOf(shape: Shape): string {
  switch (shape.type) {
    case "scalar":
      return SCALARS[shape.scalar].expected;
    case "list":
      return shape.expected;
    case "steps":
      return "a list of steps";
    case "params":
      return "a map of names to default values";
    case "arguments":
      return "a map of param names to values";
    case "object":
      return shape.expected;
    case "either":
      return shape.options.map(expectedOf).join(", or ");
  }
}

/** Reports a value of the wrong kind for `label` (`\`within\``, "a step"). */
export function reportWrongType(ctx: YamlContext, label: string, shape: Shape, node: unknown, span: Span): void {
  ctx.report("wrong-type", `${label} expects ${expectedOf(shape)}, found ${describeNode(node)}`, span);
}

/** The span of a value, or of its pair's key when the value is empty (`as:` with nothing after it). */
export function valueSpan(ctx: YamlContext, pair: Pair): Span {
  const value = pair.value as Node | null;
  const empty = !value || (isScalar(value) && value.value === null && value.range && value.range[0] === value.range[1]);
  return empty ? ctx.keySpan(pair) : ctx.nodeSpan(value);
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Checks a map against an object shape. `label` names it in messages ("`pay`"); `anchor` is where
 * a missing field is reported (the step key); `elsewhere` are fields already reported as misplaced
 * (not missing). undefined when the node is not a map at all.
 */
export function readObject(
  ctx: YamlContext,
  node: unknown,
  shape: ObjectShape,
  label: string,
  anchor: Span,
  elsewhere: ReadonlySet<string> = NONE,
): Fields | undefined {
  if (!isMap(node)) {
    reportWrongType(ctx, label, shape, node, isScalar(node) || isSeq(node) ? ctx.nodeSpan(node as Node) : anchor);
    return undefined;
  }
  const map = node as YAMLMap;
  const pairs = new Map<string, Pair<Scalar, Node>>();
  const present = new Set<string>();
  // The fields reported as misplaced or guessed at (not missing): `elsewhere` plus the guesses, the
  // latter made only for unknown keys, so the set is made only then (a step read is one less Set).
  let guessed: Set<string> | undefined;
  const suggested = { has: (key: string) => elsewhere.has(key) || guessed?.has(key) === true };
  let unknownKeys = 0;
  // Which of the shape's keys the map has, found once: looking each up again for every unknown
  // key took quadratic time (40,000 unknown keys: over a minute).
  let absent: string[] | undefined;
  for (const pair of map.items) {
    const key = keyOf(ctx, pair);
    if (key === undefined) continue;
    present.add(key);
    const field = shape.fields[key];
    if (!field) {
      unknownKeys++;
      absent ??= absentKeys(map, Object.keys(shape.fields));
      const guess = didYouMean(key, absent);
      if (guess) {
        guessed ??= new Set();
        guessed.add(guess);
      }
      ctx.report(
        "unknown-key",
        `unknown key \`${key}\` in ${label}`,
        ctx.keySpan(pair),
        guess ? `did you mean \`${guess}\`?` : `${label} takes ${listKeys(Object.keys(shape.fields))}`,
      );
      continue;
    }
    if (!fits(pair.value, field.shape)) {
      reportWrongType(ctx, `\`${key}\``, field.shape, pair.value, valueSpan(ctx, pair));
      continue;
    }
    pairs.set(key, pair as Pair<Scalar, Node>);
  }
  for (const key in shape.fields) {
    const field = shape.fields[key];
    if (field.required && !present.has(key) && !suggested.has(key)) {
      ctx.report("missing-field", `${label} needs \`${key}\``, anchor, `add \`${key}:\` (${aside(field.description)})`);
    }
  }
  if (shape.oneOf) {
    const { keys, what } = shape.oneOf;
    const chosen = keys.filter((k) => present.has(k));
    if (chosen.length === 0 && !keys.some((k) => suggested.has(k)) && unknownKeys === 0) {
      ctx.report("missing-field", `${label} needs ${what}`, anchor, `add one of ${listKeys(keys)}`);
    }
    for (const extra of chosen.slice(1)) {
      const pair = map.items.find((p) => keyName(p) === extra)!;
      ctx.report(
        "conflicting-keys",
        `${label} has both \`${chosen[0]}\` and \`${extra}\``,
        ctx.keySpan(pair),
        `keep one of ${listKeys(keys)}`,
      );
      pairs.delete(extra);
    }
  }
  if (shape.minKeys !== undefined && map.items.length < shape.minKeys) {
    ctx.report(
      "missing-field",
      `${label} needs at least one of ${listKeys(Object.keys(shape.fields))}`,
      ctx.nodeSpan(map),
    );
  }
  for (const key in shape.pairedWith) {
    const rule = shape.pairedWith[key];
    if (present.has(key) && !present.has(rule.key)) {
      const pair = map.items.find((p) => keyName(p) === key)!;
      ctx.report("unexpected-key", `\`${key}\` goes only with \`${rule.key}\``, ctx.keySpan(pair), `remove \`${key}\``);
      pairs.delete(key);
    } else if (rule.requiredBy && present.has(rule.key) && !present.has(key) && !suggested.has(key)) {
      const pair = map.items.find((p) => keyName(p) === rule.key)!;
      ctx.report(
        "missing-field",
        `\`${rule.key}\` needs \`${key}\``,
        ctx.keySpan(pair),
        `add \`${key}:\` (${aside(shape.fields[key].description)})`,
      );
    }
  }
  return { node: map, pairs };
}

/** The items of a list node, or undefined (and a wrong-type report) when it is not a list. */
export function readList(
  ctx: YamlContext,
  node: unknown,
  shape: Shape,
  label: string,
  anchor: Span,
): YAMLSeq | undefined {
  if (isSeq(node)) return node as YAMLSeq;
  reportWrongType(ctx, label, shape, node, isScalar(node) || isMap(node) ? ctx.nodeSpan(node as Node) : anchor);
  return undefined;
}

/** A pair's key as text, reporting keys that are not plain scalars. */
export function keyOf(ctx: YamlContext, pair: Pair): string | undefined {
  const name = keyName(pair);
  if (name === undefined) {
    ctx.report("wrong-type", "a key must be a plain word", ctx.keySpan(pair), "write keys like `steps:` or `as:`");
  }
  return name;
}

/** A pair's key as text, or undefined when it is not a scalar. */
export function keyName(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key) || key.value === null || typeof key.value === "object") return undefined;
  return String((key as Scalar).source ?? key.value);
}

/** The keys of `keys` that `map` does not have. */
function absentKeys(map: YAMLMap, keys: readonly string[]): string[] {
  const present = new Set(map.items.map((p) => keyName(p)));
  return keys.filter((k) => !present.has(k));
}

/** `\`a\`, \`b\` or \`c\``. */
export function listKeys(keys: readonly string[]): string {
  const quoted = keys.map((k) => `\`${k}\``);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/**
 * A field's description as an aside: no final period, first letter lower case unless an acronym.
 * A trailing "(only with `x`)" is dropped: the aside is already in parentheses, and the message
 * that carries it names the pairing.
 */
function aside(description: string): string {
  const text = description.replace(/\.$/, "").replace(/\s*\(only with [^()]*\)$/, "");
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
