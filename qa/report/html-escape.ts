import { printable } from "../../protocol/index.js";

/**
 * Escaping for the HTML report: every text that goes into it passes through here. Control
 * characters become visible too (protocol/printable.ts): the report is also read with `cat`.
 */
export function html(text: string | number | undefined): string {
  return printable(String(text ?? ""), { lines: true })
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
