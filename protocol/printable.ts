/**
 * Text that is safe to show on a terminal. A scenario name, a flow file, a file name or a terminal's
 * answer can hold control characters: ESC sequences that recolour, move the cursor, rewrite earlier
 * lines, set the window title or hide text, a carriage return that overwrites a line, bidi overrides
 * that reorder it. Each becomes one visible character in its place, so a column is still a column
 * (carets under a source line stay where they were): C0 controls and DEL as their Unicode control
 * pictures (ESC is `␛`), C1 controls and bidi controls as `�`.
 */

/** C0 controls, DEL, C1 controls, and the bidi embedding, override and isolate characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function picture(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return "\ufffd";
}

/**
 * `text` with every control character made visible. With `lines`, newlines and tabs are kept (a
 * source file, a rendered diagnostic); without, it is one line (a name, a label).
 */
export function printable(text: string, options: { lines?: boolean } = {}): string {
  return String(text).replace(CONTROL, (ch) => (options.lines && (ch === "\n" || ch === "\t") ? ch : picture(ch)));
}

/** CONTROL without newline and tab, which terminalText keeps. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The colour sequences termflow writes itself (picocolors' bold, dim and foreground colours). */
const OWN_COLOUR = /\u001b\[(?:1|2|22|3[1-6]|39)m/y;

/**
 * What goes out on stdout or stderr: like `printable` with lines kept, except, when `colour` is on,
 * the colour sequences termflow writes itself. A name that carries such a sequence can tint the
 * text after it, never move the cursor, rewrite a line or hide anything; names are made printable
 * where they are printed, so on a terminal that shows colour even that does not happen.
 */
export function terminalText(text: string, colour: boolean): string {
  // Most output has no control character but its newlines: one scan, and the text as it is.
  if (!CONTROL_BUT_LINES.test(text)) return text;
  return text.replace(CONTROL, (ch, offset: number) => {
    if (ch === "\n" || ch === "\t") return ch;
    if (colour && ch === "\u001b") {
      OWN_COLOUR.lastIndex = offset;
      if (OWN_COLOUR.test(text)) return ch;
    }
    return picture(ch);
  });
}

/** Control characters JSON.stringify leaves as they are; inside a JSON string each has a `\u` escape. */
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, with every control character escaped (it escapes C0 ones only): the same data. */
export function printableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    RAW_IN_JSON,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
