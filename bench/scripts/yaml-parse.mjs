// The baseline of whole-process language rows: read a YAML file and `yaml.parse` it, nothing else.
//   node bench/scripts/yaml-parse.mjs <file.yaml>
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const value = parse(readFileSync(process.argv[2], "utf8"));
if (value === undefined) process.exitCode = 1;
