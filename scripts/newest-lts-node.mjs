#!/usr/bin/env node
// Prints the newest Node.js LTS version that the npm registry ships as a binary package for this
// machine (node-<platform>-<arch>, the package the `node` package itself installs), for .ci/run.
// An LTS line starts about six months after its .0 release, by which time it has had nine or more
// minor releases (20.9.0, 22.11.0 and 24.11.0 were the first LTS releases of their lines); until
// Node 26 only even majors became LTS.
import { execFileSync } from "node:child_process";

const pkg = `node-${process.platform}-${process.arch}`;
const versions = JSON.parse(execFileSync("npm", ["view", pkg, "versions", "--json"], { encoding: "utf8" }));
const latestByMajor = new Map();
for (const version of versions) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) continue;
  const major = Number(version.split(".")[0]);
  const seen = latestByMajor.get(major);
  if (!seen || compare(version, seen) > 0) latestByMajor.set(major, version);
}
const lts = [...latestByMajor.entries()]
  .filter(([major, version]) => (major % 2 === 0 || major >= 27) && Number(version.split(".")[1]) >= 9)
  .sort(([a], [b]) => b - a)[0];
if (!lts) {
  console.error(`no LTS release of ${pkg} found`);
  process.exit(1);
}
console.log(`${pkg}@${lts[1]}`);

function compare(a, b) {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
