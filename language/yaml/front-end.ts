/** What the rest of the language takes from the YAML front end (loaded on demand: ../yaml-front-end.ts). */
export { parseFlowYaml } from "./parse-yaml.js";
export { printFlowYaml } from "./print-yaml.js";
export { formatFlowYaml } from "./format-yaml.js";
