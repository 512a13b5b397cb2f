/**
 * Syntax diagrams of the mini-language, drawn from the parser itself so they cannot drift from it.
 * The page loads Chevrotain's diagram scripts from `grammar/` next to it (copied there by
 * scripts/generate-diagrams.mjs), so it works offline.
 */
import { createSyntaxDiagramsCode } from "chevrotain";
import { flowParser } from "./parser.js";

/** Where the page finds the diagram scripts and CSS, relative to docs/grammar.html. */
export const DIAGRAM_RESOURCE_DIR = "grammar/";

/** The files the page loads, as paths inside node_modules/chevrotain/diagrams/ and DIAGRAM_RESOURCE_DIR. */
export const DIAGRAM_RESOURCES: readonly string[] = [
  "diagrams.css",
  "vendor/railroad-diagrams.js",
  "src/diagrams_builder.js",
  "src/diagrams_behavior.js",
  "src/main.js",
];

/** The HTML of docs/grammar.html. */
export function grammarDiagramsHtml(): string {
  return createSyntaxDiagramsCode(flowParser().getSerializedGastProductions(), {
    resourceBase: DIAGRAM_RESOURCE_DIR,
    css: `${DIAGRAM_RESOURCE_DIR}diagrams.css`,
  });
}
