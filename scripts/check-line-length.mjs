// Biome formats to 120 columns but cannot break a string, a template or a regex: this floor keeps such
// lines readable (biome has no line-length rule, and ESLint's max-len would be a second linter for one rule).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const LIMIT = 160;
const files = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.mjs", "*.js", "*.cjs"], { encoding: "utf8" })
  .split("\0")
  // Generated or vendored: the grammar diagrams' scripts.
  .filter((file) => file !== "" && !file.startsWith("docs/grammar"));

const long = [];
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.length > LIMIT) long.push(`${file}:${i + 1}:${LIMIT + 1}: line of ${line.length} characters`);
    });
}
if (long.length > 0) {
  process.stderr.write(`${long.join("\n")}\nerror: ${long.length} line(s) over ${LIMIT} characters: split them\n`);
  process.exit(1);
}
