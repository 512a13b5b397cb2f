/**
 * THE rules of flow values: what each operator, function, loop and payment accepts, what it gives,
 * and how a problem is worded. The checks apply them to types (and to the values they know), a run
 * to values; both go through evaluate.ts, so a rule broken by a value only known at run time fails
 * the step with the very words the checks would have used.
 *
 * Every rule takes Typeds and an Environment, reports what is wrong through `env.problem` and then
 * gives the unknown value, so one mistake is reported once and not again by every expression
 * around it.
 */
import {
  MAX_LOOP_ITERATIONS,
  type ArithmeticOperator,
  type BinaryExpression,
  type CallExpression,
  type ComparisonOperator,
  type Expression,
  type Span,
  type UnaryExpression,
} from "../ast.js";
import {
  addDecimals,
  compareDecimals,
  type Decimal,
  decimalOfNumber,
  decimalOfText,
  divideDecimals,
  multiplyDecimals,
  numberOfDecimal,
  subtractDecimals,
} from "../decimal.js";
import {
  addMoney,
  compareMoney,
  divideMoney,
  formatMinorUnits,
  formatMoney,
  isMoney,
  largestHint,
  minorUnitDigits,
  type Money,
  moneyRatio,
  multiplyMoney,
  readMoneyText,
  splitMoney,
  subtractMoney,
} from "../money.js";
import type { DiagnosticCode } from "../diagnostic.js";
import { didYouMean } from "../suggest.js";
import { printExpression } from "../text/print-text.js";
import {
  BOOLEAN,
  describeType,
  known,
  moneyType,
  NUMBER,
  STRING,
  type Type,
  type Typed,
  UNKNOWN_VALUE,
} from "./types.js";
import { numberText, textOf, type Value } from "./value.js";

/** A rule an expression or step breaks: a Diagnostic's fields, without the severity (always an error). */
export interface Problem {
  code: DiagnosticCode;
  message: string;
  span: Span;
  hint?: string;
}

/** What an evaluation needs from where it runs: the checks, `plan` or a run. */
export interface Environment {
  /** The Typed of `name.field...`; a run reports a name without a value through `problem`. */
  lookUp(ref: Extract<Expression, { kind: "reference" }>): Typed;
  /** A broken rule. The checks collect it and go on; a run stops the step (it throws). */
  problem(problem: Problem): void;
  /**
   * `a and b` skips `b` when `a` is known false (`or`: true). A run short-circuits, so `b` may read
   * a capture `a` guards; the checks do not, so `b` is checked too.
   */
  readonly shortCircuit: boolean;
}

/** Reports a problem and gives the unknown value (the problem is not reported again further out). */
function fail(env: Environment, code: DiagnosticCode, message: string, span: Span, hint?: string): Typed {
  env.problem(hint === undefined ? { code, message, span } : { code, message, span, hint });
  return UNKNOWN_VALUE;
}

/** How an operand is named in a message: its source form when short, else its role. */
export function describeOperand(e: Expression | undefined): string {
  let text: string;
  try {
    text = e ? printExpression(e) : "";
  } catch {
    // A partial tree (after a syntax error) cannot always be printed.
    text = "";
  }
  return text !== "" && text.length <= 40 ? `\`${text}\`` : "this expression";
}

/** `is a number`, `is of unknown type`. */
function isA(type: Type): string {
  return `is ${describeType(type)}`;
}

// ---- caller text: values of params declared without a type -----------------------------------------

/**
 * A value whose type is not known before the run (a param without type or default holds the
 * caller's text) is read as what the other side needs: `"true"` next to a boolean, `"3"` next to
 * a number, `"42.50 EUR"` next to an amount. A text that cannot be read so is a problem.
 */
export function settle(t: Typed, wanted: Type, e: Expression, env: Environment): Typed {
  if (t.type.kind !== "unknown" || wanted.kind === "unknown") return t;
  if (t.value === undefined) return { type: wanted.kind === "money" ? moneyType(undefined) : wanted };
  if (typeof t.value !== "string") return known(t.value);
  const read = readText(t.value, wanted);
  if (read !== undefined) return known(read);
  return fail(
    env,
    "type-mismatch",
    `${describeOperand(e)} holds the text ${JSON.stringify(t.value)}, which is not ${describeType(wanted)}`,
    e.span,
    "declare the param's type (`param name: number`) to have its value checked before the run",
  );
}

/** Caller text read as a type, strictly; undefined when it is not one. */
function readText(text: string, wanted: Type): Value | undefined {
  const trimmed = text.trim();
  switch (wanted.kind) {
    case "string":
      return text;
    case "boolean":
      return trimmed === "true" ? true : trimmed === "false" ? false : undefined;
    case "number":
      return readNumberText(trimmed);
    case "money": {
      const reading = readMoneyText(trimmed);
      return reading.ok ? reading.money : undefined;
    }
    default:
      return undefined;
  }
}

/** `42`, `-12.5`, `007`, `10%`: a number as a person writes one; undefined otherwise. */
export function readNumberText(text: string): number | undefined {
  const percent = text.endsWith("%");
  const decimal = decimalOfText(percent ? text.slice(0, -1).trimEnd() : text);
  if (!decimal) return undefined;
  return numberOfDecimal(percent ? divideDecimals(decimal, { units: 100n, scale: 0 }) : decimal);
}

// ---- unary ---------------------------------------------------------------------------------------

export function unary(e: UnaryExpression, operand: Typed, env: Environment): Typed {
  if (e.operator === "not") {
    const value = settle(operand, BOOLEAN, e.operand, env);
    if (value.type.kind !== "boolean" && value.type.kind !== "unknown") {
      return fail(
        env,
        "type-mismatch",
        `\`not\` needs true or false, but ${describeOperand(e.operand)} ${isA(value.type)}`,
        e.span,
      );
    }
    return typeof value.value === "boolean" ? known(!value.value) : { type: BOOLEAN };
  }
  const value = operand.type.kind === "unknown" ? settle(operand, NUMBER, e.operand, env) : operand;
  if (value.type.kind === "money") {
    return isMoney(value.value) ? known({ ...value.value, minor: -value.value.minor || 0 }) : value;
  }
  if (value.type.kind !== "number" && value.type.kind !== "unknown") {
    return fail(
      env,
      "type-mismatch",
      `\`-\` needs a number or an amount, but ${describeOperand(e.operand)} ${isA(value.type)}`,
      e.span,
    );
  }
  return typeof value.value === "number" ? known(value.value === 0 ? 0 : -value.value) : { type: NUMBER };
}

// ---- binary ---------------------------------------------------------------------------------------

/** `and`, `or`: both sides true or false. */
export function logical(e: BinaryExpression, left: Typed, right: Typed | undefined, env: Environment): Typed {
  const sides: [Expression, Typed | undefined][] = [
    [e.left, left],
    [e.right, right],
  ];
  const values: (boolean | undefined)[] = [];
  for (const [side, typed] of sides) {
    if (typed === undefined) continue;
    const value = settle(typed, BOOLEAN, side, env);
    if (value.type.kind !== "boolean" && value.type.kind !== "unknown") {
      fail(
        env,
        "type-mismatch",
        `\`${e.operator}\` needs true or false on both sides, but ${describeOperand(side)} ${isA(value.type)}`,
        side.span,
      );
      return UNKNOWN_VALUE;
    }
    values.push(typeof value.value === "boolean" ? value.value : undefined);
  }
  const [a, b] = values;
  // `right` is missing when the left side decided (short-circuit).
  if (right === undefined && a !== undefined) return known(a);
  if (a === undefined || b === undefined) {
    // `false and x` is false and `true or x` true, whatever x is.
    if (e.operator === "and" && (a === false || b === false)) return known(false);
    if (e.operator === "or" && (a === true || b === true)) return known(true);
    return { type: BOOLEAN };
  }
  return known(e.operator === "and" ? a && b : a || b);
}

/** Settles both sides of a binary operator against each other. */
function settlePair(e: BinaryExpression, left: Typed, right: Typed, env: Environment): [Typed, Typed] {
  if (left.type.kind === "unknown" && right.type.kind !== "unknown")
    return [settle(left, right.type, e.left, env), right];
  if (right.type.kind === "unknown" && left.type.kind !== "unknown")
    return [left, settle(right, left.type, e.right, env)];
  if (left.type.kind === "unknown" && right.type.kind === "unknown") {
    // Two caller texts: amounts if both read as amounts, numbers if both read as numbers, else texts.
    for (const wanted of [moneyType(undefined), NUMBER]) {
      const a = typeof left.value === "string" ? readText(left.value, wanted) : undefined;
      const b = typeof right.value === "string" ? readText(right.value, wanted) : undefined;
      if (a !== undefined && b !== undefined) return [known(a), known(b)];
    }
  }
  return [left, right];
}

const ORDERING = new Set(["<", "<=", ">", ">="]);

/** `==`, `!=`, `<`, `<=`, `>`, `>=`. */
export function comparison(e: BinaryExpression, leftIn: Typed, rightIn: Typed, env: Environment): Typed {
  const op = e.operator as ComparisonOperator;
  const [left, right] = settlePair(e, leftIn, rightIn, env);
  const a = left.type;
  const b = right.type;
  if (a.kind === "unknown" || b.kind === "unknown") {
    const both = left.value !== undefined && right.value !== undefined;
    return both ? known(compareValues(op, left.value as Value, right.value as Value)) : { type: BOOLEAN };
  }
  if (a.kind === "money" && b.kind === "number") return moneyWithNumber(e, e.right, right, a, env);
  if (b.kind === "money" && a.kind === "number") return moneyWithNumber(e, e.left, left, b, env);
  if (a.kind === "money" && b.kind === "money" && a.currency && b.currency && a.currency !== b.currency) {
    return fail(
      env,
      "currency-mismatch",
      `cannot compare an amount in ${b.currency} with an amount in ${a.currency}`,
      e.span,
      "amounts of different currencies never compare; termflow does not convert currencies",
    );
  }
  if (a.kind === "record" || b.kind === "record") {
    const side = a.kind === "record" ? e.left : e.right;
    return fail(
      env,
      "type-mismatch",
      `cannot compare ${describeOperand(side)} as a whole: it is a record`,
      side.span,
      "compare one of its fields, such as `.result`",
    );
  }
  if (a.kind === "list" || b.kind === "list") {
    const side = a.kind === "list" ? e.left : e.right;
    return fail(
      env,
      "type-mismatch",
      `cannot compare ${describeOperand(side)}: it ${isA(a.kind === "list" ? a : b)}`,
      side.span,
      "loop over it with `for` and compare each item",
    );
  }
  if (ORDERING.has(op)) {
    for (const [side, type] of [
      [e.left, a],
      [e.right, b],
    ] as const) {
      if (type.kind !== "number" && type.kind !== "money") {
        return fail(
          env,
          "type-mismatch",
          `\`${op}\` compares numbers or amounts, but ${describeOperand(side)} ${isA(type)}`,
          side.span,
          type.kind === "boolean" ? "compare true/false with `==` or `!=`" : undefined,
        );
      }
    }
  } else if (a.kind !== b.kind) {
    return fail(
      env,
      "type-mismatch",
      `cannot compare ${describeType(a)} with ${describeType(b)}`,
      e.span,
      `${describeOperand(e.left)} ${isA(a)} and ${describeOperand(e.right)} ${isA(b)}: \`${op}\` is never true across types`,
    );
  }
  if (left.value === undefined || right.value === undefined) return { type: BOOLEAN };
  return known(compareValues(op, left.value, right.value));
}

/** `payment.amount == 1250`: an amount is never a bare number. */
function moneyWithNumber(
  e: BinaryExpression,
  numberSide: Expression,
  number: Typed,
  money: Type,
  env: Environment,
): Typed {
  const currency = money.kind === "money" ? money.currency : undefined;
  return fail(
    env,
    "money-compared-with-number",
    `cannot compare an amount with a number`,
    e.span,
    moneyHint(numberSide, number, currency, "amounts compare with amounts"),
  );
}

/**
 * What to write instead of a number next to an amount: `12.50 EUR`. A whole number is read as minor
 * units (what captures held before amounts had a type: `payment.amount == 1250`), a decimal as
 * major units.
 */
function moneyHint(e: Expression, number: Typed, currency: string | undefined, rule: string): string {
  const code = currency ?? "EUR";
  const text = e.kind === "number" ? e.text : typeof number.value === "number" ? numberText(number.value) : undefined;
  const digits = minorUnitDigits(code) ?? 2;
  if (text === undefined || text.endsWith("%") || text.startsWith("-")) {
    return `${rule}: write the number with its currency, like \`12.50 ${code}\``;
  }
  if (/^[0-9]+$/.test(text) && digits > 0 && Number.isSafeInteger(Number(text) * 10 ** digits)) {
    const asMinor = `${formatMinorUnits(Number(text), code)} ${code}`;
    const asMajor = `${formatMinorUnits(Number(text) * 10 ** digits, code)} ${code}`;
    if (asMinor === asMajor) return `${rule}: write \`${asMajor}\``;
    return `${rule}: write \`${asMinor}\` (${text} minor units), or \`${asMajor}\` if you meant ${text} whole units`;
  }
  const decimal = decimalOfText(text);
  const minor = decimal ? multiplyDecimals(decimal, { units: 10n ** BigInt(digits), scale: 0 }) : undefined;
  if (minor && minor.scale === 0 && minor.units <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return `${rule}: write \`${formatMinorUnits(Number(minor.units), code)} ${code}\``;
  }
  return `${rule}: write the number with its currency, like \`12.50 ${code}\``;
}

function compareValues(op: ComparisonOperator, a: Value, b: Value): boolean {
  if (op === "==" || op === "!=") {
    const same = sameValue(a, b);
    return op === "==" ? same : !same;
  }
  let order: number;
  if (isMoney(a) && isMoney(b)) order = compareMoney(a, b);
  else if (typeof a === "number" && typeof b === "number") order = compareDecimals(decimal(a), decimal(b));
  else order = String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  if (op === "<") return order < 0;
  if (op === "<=") return order <= 0;
  if (op === ">") return order > 0;
  return order >= 0;
}

function sameValue(a: Value, b: Value): boolean {
  if (isMoney(a) && isMoney(b)) return a.minor === b.minor && a.currency === b.currency;
  if (typeof a === "number" && typeof b === "number") return compareDecimals(decimal(a), decimal(b)) === 0;
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

function decimal(n: number): Decimal {
  return decimalOfNumber(n) ?? { units: 0n, scale: 0 };
}

const VERB: Record<ArithmeticOperator, string> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide" };

/** `+ - * /` on numbers and amounts. */
export function arithmetic(e: BinaryExpression, leftIn: Typed, rightIn: Typed, env: Environment): Typed {
  const op = e.operator as ArithmeticOperator;
  const [left, right] = settlePair(e, leftIn, rightIn, env);
  const a = left.type;
  const b = right.type;
  for (const [side, type] of [
    [e.left, a],
    [e.right, b],
  ] as const) {
    if (type.kind !== "number" && type.kind !== "money" && type.kind !== "unknown") {
      return fail(
        env,
        "type-mismatch",
        `\`${op}\` works on numbers and amounts, but ${describeOperand(side)} ${isA(type)}`,
        side.span,
        type.kind === "string" && op === "+" ? 'to join texts, write them into one string: `"${a} ${b}"`' : undefined,
      );
    }
  }
  if (a.kind === "unknown" || b.kind === "unknown") {
    // One side is caller text that could not be read, or both are: the result is as unknown.
    return a.kind === "money" || b.kind === "money" ? { type: moneyType(undefined) } : UNKNOWN_VALUE;
  }
  if (a.kind === "money" && b.kind === "money") return moneyAndMoney(e, op, left, right, a.currency, b.currency, env);
  if (a.kind === "money" || b.kind === "money") {
    const [money, number, numberSide] = a.kind === "money" ? [left, right, e.right] : [right, left, e.left];
    const currency = (a.kind === "money" ? a : b) as Extract<Type, { kind: "money" }>;
    if (op === "+" || op === "-") {
      const percent = numberSide.kind === "number" && numberSide.text.endsWith("%");
      const moneyText = describeOperand(a.kind === "money" ? e.left : e.right).slice(1, -1);
      return fail(
        env,
        "type-mismatch",
        `cannot ${VERB[op]} a number ${op === "+" ? "to" : "from"} an amount`,
        e.span,
        percent
          ? `a percentage scales an amount: write \`${moneyText} * ${percentText(numberSide.text, op === "+" ? 1 : -1)}\``
          : moneyHint(numberSide, number, currency.currency, "amounts add to amounts"),
      );
    }
    if (op === "/" && b.kind === "money") {
      return fail(
        env,
        "type-mismatch",
        "cannot divide a number by an amount",
        e.span,
        "divide the amount by the number instead: `total / 3`",
      );
    }
    return scale(e, op, money, number, env);
  }
  // number and number
  if (!isFiniteNumber(left.value) || !isFiniteNumber(right.value)) {
    if (op === "/" && right.value === 0) return divisionByZero(e, env);
    return { type: NUMBER };
  }
  const x = decimal(left.value);
  const y = decimal(right.value);
  if (op === "/") {
    if (y.units === 0n) return divisionByZero(e, env);
    return known(numberOfDecimal(divideDecimals(x, y)));
  }
  const result = op === "+" ? addDecimals(x, y) : op === "-" ? subtractDecimals(x, y) : multiplyDecimals(x, y);
  return known(numberOfDecimal(result));
}

/** `10%` -> `110%` (plus) or `90%` (minus): what `total + 10%` meant. */
function percentText(text: string, sign: 1 | -1): string {
  const d = decimalOfText(text.slice(0, -1));
  if (!d) return "110%";
  const whole = { units: 100n, scale: 0 };
  return `${numberText(numberOfDecimal(sign === 1 ? addDecimals(whole, d) : subtractDecimals(whole, d)))}%`;
}

function divisionByZero(e: BinaryExpression, env: Environment): Typed {
  return fail(env, "division-by-zero", "division by zero", e.right.span, "divide by a number that is not zero");
}

function moneyAndMoney(
  e: BinaryExpression,
  op: ArithmeticOperator,
  left: Typed,
  right: Typed,
  a: string | undefined,
  b: string | undefined,
  env: Environment,
): Typed {
  if (op === "*") {
    return fail(
      env,
      "type-mismatch",
      "cannot multiply two amounts",
      e.span,
      "multiply an amount by a number or a percentage: `total * 10%`",
    );
  }
  if (a && b && a !== b) {
    const what =
      op === "+"
        ? `add an amount in ${b} to`
        : op === "-"
          ? `subtract an amount in ${b} from`
          : `divide an amount in ${a} by`;
    return fail(
      env,
      "currency-mismatch",
      `cannot ${what} an amount in ${op === "/" ? b : a}`,
      e.span,
      "amounts of different currencies do not mix; termflow does not convert currencies",
    );
  }
  const x = left.value;
  const y = right.value;
  if (op === "/") {
    if (isMoney(y) && y.minor === 0) return divisionByZero(e, env);
    return isMoney(x) && isMoney(y) ? known(numberOfDecimal(moneyRatio(x, y))) : { type: NUMBER };
  }
  const currency = a ?? b;
  if (!isMoney(x) || !isMoney(y)) return { type: moneyType(currency) };
  return checked(op === "+" ? addMoney(x, y) : subtractMoney(x, y), e, currency ?? x.currency, env);
}

/** money * number, number * money, money / number: rounded half to even to the minor unit. */
function scale(e: BinaryExpression, op: ArithmeticOperator, money: Typed, number: Typed, env: Environment): Typed {
  if (op === "/" && number.value === 0) return divisionByZero(e, env);
  // A number that is not one (`74er`, already an error of its own) has no value to scale by.
  if (!isMoney(money.value) || !isFiniteNumber(number.value)) return { type: money.type };
  const factor = decimal(number.value);
  const result = op === "*" ? multiplyMoney(money.value, factor) : divideMoney(money.value, factor);
  return checked(result, e, money.value.currency, env);
}

function checked(result: Money | undefined, e: Expression, currency: string, env: Environment): Typed {
  if (result) return known(result);
  return fail(env, "amount-out-of-range", "the result is too large to hold exactly", e.span, largestHint(currency));
}

// ---- functions -----------------------------------------------------------------------------------

const SIGNATURES: Record<string, { arity: number; takes: string }> = {
  split: { arity: 2, takes: "an amount and a number of shares: `split(total, guests)`" },
  number: { arity: 1, takes: "one value: `number(table)`" },
  string: { arity: 1, takes: "one value: `string(total)`" },
};

/** `split(total, n)`, `number(x)`, `string(x)`. */
export function call(e: CallExpression, args: readonly Typed[], env: Environment): Typed {
  const name = e.callee.name;
  const signature = Object.hasOwn(SIGNATURES, name) ? SIGNATURES[name] : undefined;
  if (!signature) {
    const guess = didYouMean(name, Object.keys(SIGNATURES));
    return fail(
      env,
      "unknown-function",
      `unknown function \`${name}\``,
      e.callee.span,
      guess ? `did you mean \`${guess}\`?` : "the functions are `split`, `number` and `string`",
    );
  }
  if (args.length !== signature.arity) {
    return fail(
      env,
      "wrong-arguments",
      `\`${name}\` takes ${signature.arity === 1 ? "1 argument" : `${signature.arity} arguments`}, got ${args.length}`,
      e.span,
      `\`${name}\` takes ${signature.takes}`,
    );
  }
  if (name === "split") return split(e, args[0], args[1], env);
  if (name === "number") return toNumber(e, args[0], env);
  return toText(e, args[0], env);
}

function split(e: CallExpression, totalIn: Typed, sharesIn: Typed, env: Environment): Typed {
  const total = settle(totalIn, moneyType(undefined), e.args[0], env);
  const shares = settle(sharesIn, NUMBER, e.args[1], env);
  if (total.type.kind !== "money" && total.type.kind !== "unknown") {
    return fail(
      env,
      "type-mismatch",
      `\`split\` splits an amount, but ${describeOperand(e.args[0])} ${isA(total.type)}`,
      e.args[0].span,
      total.type.kind === "number" ? moneyHint(e.args[0], total, undefined, "split takes an amount") : undefined,
    );
  }
  if (shares.type.kind !== "number" && shares.type.kind !== "unknown") {
    return fail(
      env,
      "type-mismatch",
      `\`split\` needs a number of shares, but ${describeOperand(e.args[1])} ${isA(shares.type)}`,
      e.args[1].span,
    );
  }
  const currency = total.type.kind === "money" ? total.type.currency : undefined;
  const type: Type = { kind: "list", of: moneyType(currency) };
  if (typeof shares.value === "number") {
    const n = shares.value;
    const bad = {
      message: `\`split\` needs a whole number of shares of at least 1, ${notThis(e.args[1], n)}`,
      hint: "split among one or more: `split(total, guests)`",
    };
    if (!loopCountFits(n, "shares", e.args[1], e.span, env, bad, 1)) return UNKNOWN_VALUE;
  }
  if (!isMoney(total.value) || typeof shares.value !== "number") return { type };
  return { type, value: splitMoney(total.value, shares.value) };
}

function toNumber(e: CallExpression, argIn: Typed, env: Environment): Typed {
  const arg = argIn;
  const value = arg.value;
  switch (arg.type.kind) {
    case "number":
      return arg;
    case "money":
      return isMoney(value)
        ? known(
            numberOfDecimal(
              divideDecimals(
                { units: BigInt(value.minor), scale: 0 },
                { units: 10n ** BigInt(minorUnitDigits(value.currency) ?? 2), scale: 0 },
              ),
            ),
          )
        : { type: NUMBER };
    case "string":
    case "unknown": {
      if (value === undefined) return { type: NUMBER };
      if (typeof value === "number") return known(value);
      if (isMoney(value)) return toNumber(e, known(value), env);
      const text = typeof value === "string" ? value : textOf(value);
      const n = readNumberText(text.trim());
      if (n !== undefined) return known(n);
      return fail(
        env,
        "not-a-number",
        `\`number\` cannot read ${JSON.stringify(text)} as a number`,
        e.span,
        "a number is digits with an optional `-`, decimal point and `%`: `42`, `-12.5`, `10%`",
      );
    }
    default:
      return fail(
        env,
        "type-mismatch",
        `\`number\` reads texts and amounts, but ${describeOperand(e.args[0])} ${isA(arg.type)}`,
        e.args[0].span,
      );
  }
}

function toText(e: CallExpression, arg: Typed, env: Environment): Typed {
  if (arg.type.kind === "record" || arg.type.kind === "list") {
    return fail(
      env,
      "type-mismatch",
      `\`string\` writes a single value, but ${describeOperand(e.args[0])} ${isA(arg.type)}`,
      e.args[0].span,
    );
  }
  return arg.value === undefined ? { type: STRING } : known(textOf(arg.value));
}

// ---- loops -----------------------------------------------------------------------------------------

/**
 * A count of loop items (shares, range items, repeats) fits the bound: a whole number from `min`
 * to MAX_LOOP_ITERATIONS. Reports and gives false otherwise.
 */
function loopCountFits(
  n: number,
  what: string,
  countSide: Expression,
  span: Span,
  env: Environment,
  bad: { message: string; hint: string },
  min: number,
): boolean {
  if (!Number.isInteger(n) || n < min) {
    fail(env, "bad-loop-count", bad.message, countSide.span, bad.hint);
    return false;
  }
  if (n > MAX_LOOP_ITERATIONS) {
    fail(
      env,
      "loop-too-long",
      `a loop runs at most ${MAX_LOOP_ITERATIONS} times, but this one has ${n} ${what}`,
      span,
      `loops are bounded so that no flow can run forever; keep ${what} at ${MAX_LOOP_ITERATIONS} or fewer`,
    );
    return false;
  }
  return true;
}

/** `not \`0\`` for a written number, `but \`guests - 1\` is -1` for a computed one. */
function notThis(e: Expression, n: number): string {
  const written = e.kind === "number" || (e.kind === "unary" && e.operand.kind === "number");
  return written ? `not ${describeOperand(e)}` : `but ${describeOperand(e)} is ${numberText(n)}`;
}

/** `a..b`: the whole numbers from a to b, both included (none when b < a). */
export function range(e: Extract<Expression, { kind: "range" }>, fromIn: Typed, toIn: Typed, env: Environment): Typed {
  const type: Type = { kind: "list", of: NUMBER };
  const ends: Typed[] = [];
  for (const [side, typed] of [
    [e.from, fromIn],
    [e.to, toIn],
  ] as const) {
    const value = settle(typed, NUMBER, side, env);
    if (value.type.kind !== "number" && value.type.kind !== "unknown") {
      return fail(
        env,
        "type-mismatch",
        `a range goes from a number to a number, but ${describeOperand(side)} ${isA(value.type)}`,
        side.span,
      );
    }
    if (typeof value.value === "number" && !Number.isInteger(value.value)) {
      return fail(
        env,
        "bad-loop-count",
        `a range goes between whole numbers, ${notThis(side, value.value)}`,
        side.span,
        "write whole numbers: `1..guests`",
      );
    }
    ends.push(value);
  }
  const [from, to] = ends.map((t) => t.value);
  if (typeof from !== "number" || typeof to !== "number") return { type };
  const count = Math.max(0, to - from + 1);
  if (!loopCountFits(count, "items", e, e.span, env, { message: "", hint: "" }, 0)) return UNKNOWN_VALUE;
  return { type, value: Array.from({ length: count }, (_, i) => from + i) };
}

/** `repeat n times`: a whole number from 0 to the bound. */
export function repeatCount(count: Expression, typedIn: Typed, env: Environment): Typed {
  const typed = settle(typedIn, NUMBER, count, env);
  if (typed.type.kind !== "number" && typed.type.kind !== "unknown") {
    return fail(
      env,
      "type-mismatch",
      `\`repeat\` needs a number of times, but ${describeOperand(count)} ${isA(typed.type)}`,
      count.span,
    );
  }
  if (typeof typed.value !== "number") return { type: NUMBER };
  const bad = {
    message: `\`repeat\` needs a whole number of times, ${notThis(count, typed.value)}`,
    hint: "repeat 0 or more whole times: `repeat 3 times`",
  };
  return loopCountFits(typed.value, "repeats", count, count.span, env, bad, 0) ? typed : UNKNOWN_VALUE;
}

/** What a `for` loops over: a list (a split or a range); anything else could not be bounded. */
export function loopItems(over: Expression, typed: Typed, env: Environment): Typed {
  if (typed.type.kind === "list" || typed.type.kind === "unknown") return typed;
  return fail(
    env,
    "unbounded-loop",
    `\`for\` loops over \`split(...)\` or a range like \`1..guests\`, but ${describeOperand(over)} ${isA(typed.type)}`,
    over.span,
    "loops are bounded so that no flow can run forever: loop over `split(total, guests)` or `1..guests`, or write `repeat n times`",
  );
}

// ---- payments --------------------------------------------------------------------------------------

/**
 * What `pay` and `tip` accept: an amount (the tip in the payment's currency), above zero for the
 * payment and not below zero for the tip, as far as it is known.
 */
export function payable(
  role: "amount" | "tip" | "refund",
  e: Expression,
  typedIn: Typed,
  paymentCurrency: string | undefined,
  env: Environment,
): Typed {
  const typed = settle(typedIn, moneyType(undefined), e, env);
  const word = role === "amount" ? "`pay`" : role === "refund" ? "`refund`" : "`tip`";
  if (typed.type.kind !== "money") {
    if (typed.type.kind === "unknown") return typed;
    const hint =
      typed.type.kind === "number"
        ? `${role === "amount" ? "a payment" : role === "refund" ? "a refund" : "a tip"} is an amount: ` +
          `write it with its currency, like \`${e.kind === "number" ? e.text : "12.50"} ${paymentCurrency ?? "EUR"}\``
        : typed.type.kind === "list"
          ? `loop over the shares and pay each: \`for share in ${printExpression(e)} { pay share }\``
          : undefined;
    return fail(
      env,
      "type-mismatch",
      `${word} needs an amount, but ${describeOperand(e)} ${isA(typed.type)}`,
      e.span,
      hint,
    );
  }
  const currency = typed.type.currency;
  if (role !== "amount" && currency && paymentCurrency && currency !== paymentCurrency) {
    return fail(
      env,
      "currency-mismatch",
      `the ${role} is in ${currency}, but the payment is in ${paymentCurrency}`,
      e.span,
      `a ${role} is in the payment's currency`,
    );
  }
  const money = typed.value;
  if (isMoney(money)) {
    // A written amount is named as written; a computed one with the amount it came to.
    const written = e.kind === "money" || (e.kind === "unary" && e.operand.kind === "money");
    const shown = written ? `\`${printExpression(e)}\`` : `${formatMoney(money)} (${describeOperand(e)})`;
    const verb = role === "refund" ? "refund" : "pay";
    if (role !== "tip" && money.minor === 0) {
      return fail(
        env,
        "amount-out-of-range",
        `cannot ${verb} ${shown}: the amount is zero`,
        e.span,
        `a ${role === "refund" ? "refund" : "payment"} needs an amount above zero`,
      );
    }
    if (money.minor < 0) {
      return fail(
        env,
        "amount-out-of-range",
        role !== "tip" ? `cannot ${verb} ${shown}: the amount is negative` : `the tip ${shown} is negative`,
        e.span,
        role === "amount"
          ? "a payment needs an amount above zero; `pay` takes money: to give money back, write `refund`"
          : role === "refund"
            ? "a refund needs an amount above zero"
            : "a tip is zero or more",
      );
    }
  }
  return typed;
}
