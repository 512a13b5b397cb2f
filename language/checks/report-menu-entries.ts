// Reports menus a terminal cannot show: no entries, more than 15, blank entries; warns on repeats.
import type { Flow, Template } from "../ast.js";
import type { Report, StepVisitor } from "./report.js";
import { ordinal } from "./walk.js";

/** The most MenuEntry items a terminal shows on one screen. */
export const MAX_MENU_ENTRIES = 15;

export function reportMenuEntries(_flow: Flow, report: Report): StepVisitor {
  return {
    step: (step) => {
      if (step.kind !== "input" || step.input !== "menu") return;
      const entries = step.entries ?? [];
      if (entries.length === 0) {
        report.error("menu-empty", "menu has no entries", step.span, {
          hint: "give the menu the entries the shopper chooses from",
        });
        return;
      }
      if (entries.length > MAX_MENU_ENTRIES) {
        const extra = entries.length - MAX_MENU_ENTRIES;
        report.error(
          "menu-too-long",
          `menu has ${entries.length} entries, but a terminal shows at most ${MAX_MENU_ENTRIES}`,
          entries[MAX_MENU_ENTRIES].span,
          {
            hint: `the ${ordinal(MAX_MENU_ENTRIES + 1)} entry is one too many: remove ${extra} ${extra === 1 ? "entry" : "entries"}`,
          },
        );
      }
      const seen = new Map<string, Template>();
      for (const entry of entries) {
        if (typeof entry.value !== "string") continue;
        if (entry.value.trim() === "") {
          report.error("menu-empty-entry", "menu entry is blank", entry.span, { hint: "give every entry a label" });
          continue;
        }
        const earlier = seen.get(entry.value);
        if (earlier) {
          report.warning("menu-duplicate-entry", `menu entry \`${entry.value}\` appears twice`, entry.span, {
            hint: "the shopper cannot tell the two apart: remove one",
            related: [{ message: "first listed here", span: earlier.span }],
          });
        } else seen.set(entry.value, entry);
      }
    },
  };
}
