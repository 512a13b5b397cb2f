/**
 * termflow's floors, enforced by dependency-cruiser (`npm run lint:deps`, part of `npm run lint`).
 *
 * The picture, ground floor first: a folder stands on the floors below it and imports them only
 * through their index.ts; folders on one floor never import each other. README's contributor
 * section draws the same floors, and test/architecture/rules.test.ts checks that both agree.
 */
const floors = [["protocol"], ["language"], ["runtime", "simulator"], ["qa"], ["cli"]];

const folders = floors.flat();
const any = (names) => `^(${names.join("|")})/`;

/** One rule per folder: it may not import a folder on its own floor or above it. */
const floorRules = floors.flatMap((floor, level) =>
  floor.map((folder) => {
    const notBelow = floors
      .slice(level)
      .flat()
      .filter((other) => other !== folder);
    return {
      name: `floor-${folder}`,
      comment: `${folder}/ stands on ${floors.slice(0, level).flat().join(", ") || "nothing"}: it never imports a folder beside or above it`,
      severity: "error",
      from: { path: `^${folder}/` },
      to: { path: any(notBelow) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: "only-through-index",
      comment: "another folder is reached through its index.ts, never its internal modules",
      severity: "error",
      from: { path: `${any(folders)}|^index\\.ts$` },
      to: { path: any(folders), pathNot: ["^$1/", `${any(folders)}index\\.ts$`] },
    },
    {
      name: "library-entry-without-cli",
      comment: "the package's main entry is the library: it never loads the CLI (commander, ora, cli/)",
      severity: "error",
      from: { path: "^index\\.ts$" },
      to: { path: ["^cli/", "node_modules/(commander|ora)/"], reachable: true },
    },
    {
      name: "cli-packages-in-cli",
      comment: "commander and ora are the command line's: no other floor loads them",
      severity: "error",
      from: { pathNot: "^(cli|test)/" },
      to: { path: "node_modules/(commander|ora)/" },
    },
    {
      name: "no-circular",
      comment: "no cycles: each module can be understood, tested and loaded on its own",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "source-without-tests",
      comment: "the shipped code never imports test code",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "no-dev-dependency-in-source",
      comment: "what ships uses dependencies only; devDependencies are for tests, scripts and the build",
      severity: "error",
      from: { path: `${any(folders)}|^index\\.ts$` },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "resolvable",
      comment: "every import resolves to a file or a declared package",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: the types are the spine, and a type from above is an upward import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    exclude: { path: ["^dist/", "^node_modules/"] },
  },
};
