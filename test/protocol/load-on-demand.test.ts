/**
 * Modules loaded on demand (protocol/load-on-demand.ts), seen from a fresh process through Node's
 * module cache: the yaml package only once a YAML flow is read, ajv only at the first control call
 * with a body. The bundled CLI's side is test/cli/lazy-commands.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fromRoot } from "../support/paths.js";

/**
 * Runs `steps` (an ES module body with `dist` bound to the compiled tree's URL) in a fresh Node and
 * returns the lines it printed; `loaded("name")` says whether the package is in the module cache.
 */
function inFreshNode(steps: string): string[] {
  const prelude = `
    import { createRequire } from "node:module";
    import { pathToFileURL } from "node:url";
    const dist = pathToFileURL(${JSON.stringify(fromRoot("dist"))}).href;
    const loaded = (name) =>
      Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes("/node_modules/" + name + "/"));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", prelude + steps], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n");
}

describe("protocol/load-on-demand: what a process never needs it never loads", function () {
  this.timeout(30_000);

  it("the language loads the yaml package when a YAML flow is read, not for .flow files", () => {
    const lines = inFreshNode(`
      const language = await import(dist + "/language/index.js");
      console.log("import", loaded("yaml"));
      console.log("flow", loaded("yaml"), language.loadFlow('display "x"\\n', "a.flow").flow !== undefined);
      const yaml = language.loadFlow('flow: X\\nsteps:\\n  - display: "x"\\n', "a.flow.yaml");
      console.log("yaml", loaded("yaml"), yaml.flow?.steps.length);
      console.log("print", language.printFlowYaml(yaml.flow).includes("display: x"));
    `);
    assert.deepEqual(lines, ["import false", "flow false true", "yaml true 1", "print true"]);
  });

  it("reads a YAML flow where a global require exists (node -e, the REPL): that require is not the bundle's", () => {
    // Found by the soak's tooling: loadFlow of a YAML flow from `node -e` threw MODULE_NOT_FOUND
    // (./yaml/front-end.js resolved from the working directory by the global require).
    const script = `import(${JSON.stringify(`${fromRoot("dist")}/language/index.js`)}).then((language) => {
      const yaml = language.loadFlow('flow: X\\nsteps:\\n  - display: "x"\\n', "a.flow.yaml");
      console.log(typeof require, yaml.flow?.steps.length, yaml.diagnostics.length);
    });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: fromRoot("test") });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "function 1 0");
  });

  it("the simulator loads ajv at its first control call with a body, not to answer terminal requests", () => {
    const lines = inFreshNode(`
      const { createSimulator } = await import(dist + "/simulator/index.js");
      const sim = createSimulator();
      const server = await sim.listen({ port: 0 });
      const display = { SaleToPOIRequest: { MessageHeader: { ProtocolVersion: "3.0", MessageClass: "Device",
        MessageCategory: "Display", MessageType: "Request", ServiceID: "1", SaleID: "S", POIID: "V400m-100000001" },
        DisplayRequest: { DisplayOutput: [{ Device: "CustomerDisplay", InfoQualify: "Display",
          OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "x" }] } }] } } };
      const post = (path, body) => fetch(server.url + path, { method: "POST", body: JSON.stringify(body) });
      console.log("display", (await post("/sync", display)).status, loaded("ajv"));
      console.log("reset", (await post("/__termflow/reset", {})).status, loaded("ajv"));
      await server.close();
    `);
    assert.deepEqual(lines, ["display 200 false", "reset 200 true"]);
  });
});
