// The rows of `npm run bench`: every module in bench/rows/ exports `rows`, a list of row
// definitions (see docs/benchmarks.md, "Adding a row"). Adding a row is adding a file there; nothing else changes.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Every row file, in file-name order (which is the order of the report). */
export function rowFiles(root) {
  const dir = join(root, "bench", "rows");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".mjs"))
    .sort()
    .map((name) => join(dir, name));
}

/** The rows of one file, each with the file it came from. */
export async function rowsOf(file) {
  const module = await import(pathToFileURL(file).href);
  if (!Array.isArray(module.rows)) throw new Error(`${file} exports no \`rows\` list`);
  for (const row of module.rows) check(row, file);
  return module.rows.map((row) => ({ ...row, file }));
}

/** One row of a loaded module by id. */
export function findRow(module, id) {
  const row = module.rows?.find((r) => r.id === id);
  if (!row) throw new Error(`no row \`${id}\``);
  return row;
}

const KINDS = new Set(["in-process", "process", "measure"]);

function check(row, file) {
  const where = `${file}: row \`${row.id ?? "?"}\``;
  if (typeof row.id !== "string" || typeof row.what !== "string") throw new Error(`${where} needs an id and a what`);
  if (!KINDS.has(row.kind)) throw new Error(`${where}: kind must be one of ${[...KINDS].join(", ")}`);
  if (row.kind === "measure" && typeof row.measure !== "function") throw new Error(`${where} needs measure()`);
  if (row.kind === "in-process" && !(row.a?.run && row.b?.run)) throw new Error(`${where} needs a.run and b.run`);
  if (row.kind === "process" && !(row.a?.argv && row.b?.argv)) throw new Error(`${where} needs a.argv and b.argv`);
}
