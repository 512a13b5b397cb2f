/**
 * The YAML front end (and the yaml package under it) is loaded the first time a YAML flow is read,
 * printed or formatted: a process that reads only `.flow` files never loads it. Synchronously, so
 * that `loadFlow` stays synchronous.
 */
import { loadOnDemand } from "../protocol/index.js";
import type * as FrontEnd from "./yaml/front-end.js";

let frontEnd: typeof FrontEnd | undefined;

function yamlFrontEnd(): typeof FrontEnd {
  frontEnd ??= loadOnDemand<typeof FrontEnd>(
    () => require("./yaml/front-end.js"),
    "./yaml/front-end.js",
    import.meta.url,
  );
  return frontEnd;
}

export const parseFlowYaml: typeof FrontEnd.parseFlowYaml = (source, file) =>
  yamlFrontEnd().parseFlowYaml(source, file);
export const printFlowYaml: typeof FrontEnd.printFlowYaml = (flow) => yamlFrontEnd().printFlowYaml(flow);
export const formatFlowYaml: typeof FrontEnd.formatFlowYaml = (source, file) =>
  yamlFrontEnd().formatFlowYaml(source, file);
