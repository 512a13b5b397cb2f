/**
 * `${name.field}` interpolation in YAML strings. YAML has its own quoting and escapes, so the only
 * escape added here is `$$` for a literal `$` (as in Docker Compose): `$${x}` is the text `${x}`.
 * A `$` followed by anything else is just a `$` (`Price: $5`).
 */
import type { Identifier, Reference, Template, TemplatePart } from "../ast.js";
import type { YamlContext } from "./context.js";
import { endOfName, shortInner } from "../text/strings.js";
import type { TextSpans } from "./scalar-text.js";

const REFERENCE_TEXT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The Template a YAML string means; reports malformed `${...}`. `spans` places its characters. */
export function readTemplate(ctx: YamlContext, text: string, spans: TextSpans, whole: Template["span"]): Template {
  const parts: TemplatePart[] = [];
  let value = "";
  let literal = "";
  const flush = () => {
    if (literal) parts.push({ kind: "text", value: literal });
    literal = "";
  };
  // The next `}` at or after a `${` (-1 once there is none): found once, not once per `${`.
  let nextClose = -2;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "$" && text[i + 1] === "$") {
      literal += "$";
      value += "$";
      i += 2;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const nameEnd = endOfName(text, i + 2, text.length);
      if (nextClose !== -1 && nextClose < nameEnd) nextClose = text.indexOf("}", nameEnd);
      const close = nextClose;
      const name = close >= 0 && close === nameEnd ? text.slice(i + 2, close) : undefined;
      if (name === undefined || !REFERENCE_TEXT.test(name)) {
        const inner = close >= 0 ? shortInner(text, i + 2, close) : undefined;
        ctx.report(
          "bad-interpolation",
          inner === undefined ? "`${` is never closed" : `\`\${${inner}}\` is not a name`,
          spans.span(i, inner === undefined ? text.length : close + 1),
          "interpolate a name or a field: `${name}` or `${payment.result}`; write `$${` for a literal `${`",
        );
        literal += c;
        value += c;
        i += 1;
        continue;
      }
      flush();
      parts.push({ kind: "interpolation", ref: referenceAt(name, i + 2, spans) });
      value += `\${${name}}`;
      i = close + 1;
      continue;
    }
    // A run of plain characters at once: a long text is not built one character at a time.
    const next = text.indexOf("$", i + 1);
    const run = text.slice(i, next < 0 ? text.length : next);
    literal += run;
    value += run;
    i += run.length;
  }
  flush();
  return { kind: "template", value, parts, span: whole };
}

function referenceAt(text: string, start: number, spans: TextSpans): Reference {
  const names: Identifier[] = [];
  let at = start;
  for (const name of text.split(".")) {
    names.push({ kind: "identifier", name, span: spans.span(at, at + name.length) });
    at += name.length + 1;
  }
  return { kind: "reference", name: names[0], fields: names.slice(1), span: spans.span(start, start + text.length) };
}

/** The YAML string for template parts: reads back as the same parts. */
export function writeTemplate(parts: readonly TemplatePart[]): string {
  let out = "";
  parts.forEach((part, index) => {
    if (part.kind === "interpolation") {
      out += `\${${[part.ref.name.name, ...part.ref.fields.map((f) => f.name)].join(".")}}`;
      return;
    }
    const beforeInterpolation = parts[index + 1]?.kind === "interpolation";
    // A `$` needs doubling when what follows it would change its meaning: `$`, `{`, or an interpolation.
    out += part.value.replace(/\$/g, (_d, at: number) => {
      const next = part.value[at + 1];
      const escaped = next === "$" || next === "{" || (next === undefined && beforeInterpolation);
      return escaped ? "$$" : "$";
    });
  });
  return out;
}
