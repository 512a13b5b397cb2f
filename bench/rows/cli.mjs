// Rows of the command line's start-up, each a whole `termflow` process against `node -e 0` (Node
// starting and doing nothing: the floor no CLI can go under). The CLI loads each command as a chunk
// of its own (cli/main.ts, scripts/bundle-cli.mjs), so `check` loads the language pipeline only.
export const rows = [
  {
    id: "cli-check-start",
    what: "`termflow check flows/tipping.flow`, whole process / `node -e 0`",
    kind: "process",
    goal: { max: 1.8 },
    rounds: { full: 21, quick: 5 },
    warmup: 2,
    a: { label: "termflow check", argv: () => [process.execPath, "dist/termflow.mjs", "check", "flows/tipping.flow"] },
    b: { label: "node -e 0", argv: () => [process.execPath, "-e", "0"] },
  },
  {
    id: "cli-test-scenarios",
    what: "`termflow test flows/scenarios`, whole process / `node -e 0`",
    kind: "process",
    goal: { max: 4 },
    rounds: { full: 9, quick: 3 },
    warmup: 1,
    a: { label: "termflow test", argv: () => [process.execPath, "dist/termflow.mjs", "test", "flows/scenarios"] },
    b: { label: "node -e 0", argv: () => [process.execPath, "-e", "0"] },
  },
];
