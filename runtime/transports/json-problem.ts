/**
 * Where a JSON text stops being JSON, said without quoting it. A config file holds a passphrase, and
 * JSON.parse's own messages quote the text around the mistake (`Unexpected token 'C', ..."phrase":
 * CANARY}" is not valid JSON`): this says `line 3, column 17: expected a value` instead.
 */

/** `line L, column C: what was expected`, or undefined when `text` is valid JSON. */
export function jsonProblem(text: string): string | undefined {
  const offset = firstError(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset.at);
  const line = before.split("\n").length;
  const column = offset.at - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line}, column ${column}: ${offset.expected}`;
}

type Stop = { at: number; expected: string };

/** The offset of the first mistake and what was expected there (a strict RFC 8259 reader). */
function firstError(text: string): Stop | undefined {
  let i = 0;
  const fail = (expected: string): never => {
    throw { at: i, expected } satisfies Stop;
  };
  const space = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("expected a value (a string, number, object, array, true, false or null)");
  };
  const string = (): void => {
    const start = i++;
    for (;;) {
      if (i >= text.length) {
        i = start;
        fail("this string has no closing quote");
      }
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < " ") fail("a control character inside a string (write it as an escape)");
      if (ch === "\\") {
        i++;
        if (text[i] === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i])) i++;
        else fail("an unknown escape in a string");
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail("expected a value (a string, number, object, array, true, false or null)");
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 200) fail("nested too deeply");
    space();
    const ch = text[i];
    if (ch === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a property name in double quotes ("name")');
        string();
        space();
        if (text[i] !== ":") fail("expected `:` after the property name");
        i++;
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail("expected `,` or `}` after the value");
      }
    }
    if (ch === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail("expected `,` or `]` after the value");
      }
    }
    if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === undefined) fail("the text ends where a value should be");
    else number();
  };
  try {
    value(0);
    space();
    if (i < text.length) fail("more text after the JSON value");
    return undefined;
  } catch (stop) {
    return stop as Stop;
  }
}
