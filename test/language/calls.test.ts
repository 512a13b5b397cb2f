/**
 * Flows that call flows, as the front end sees them: both syntaxes give one AST, a program is
 * checked with the files it is given (in memory here: the language reads no file itself), each file
 * once, and what a call runs types what it captures.
 */
import assert from "node:assert/strict";
import {
  checkWithCalledFlows,
  loadFlow,
  parseFlow,
  printFlowText,
  printFlowYaml,
  renderDiagnostics,
  resolveCallPath,
  stripSpans,
  type FlowFiles,
  type LoadResult,
} from "../../language/index.js";

/** Files in memory, counting how often each is read. */
function memory(files: Record<string, string>): FlowFiles & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    resolve: resolveCallPath,
    read: (file) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return Object.hasOwn(files, file) ? { ok: true, source: files[file] } : { ok: false, reason: "no such file" };
    },
  };
}

/** Loads `main` (a key of `files`) with the others readable. */
function load(files: Record<string, string>, main: string): LoadResult & { reads: Map<string, number> } {
  const fs = memory(files);
  return { ...loadFlow(files[main], main, { files: fs }), reads: fs.reads };
}

/** `code@file:line` of each diagnostic, in order. */
const codes = (r: LoadResult): string[] => r.diagnostics.map((d) => `${d.code}@${d.span.file}:${d.span.start.line}`);

const TIP = 'flow "Tip"\nparam bill: money\ninput amount "Tip for ${bill}?" in EUR as tip\n';

describe("language: flows that call flows", () => {
  it("reads a call the same in both syntaxes, and prints it back in each", () => {
    const text = parseFlow('call "shared/tip.flow" with bill = total * 2, note = "Hi" as t\n', "a.flow").flow!;
    const yaml = parseFlow(
      "steps:\n  - call: {flow: shared/tip.flow, with: {bill: total * 2, note: '\"Hi\"'}, as: t}\n",
      "a.flow.yaml",
    ).flow!;
    assert.deepEqual(stripSpans(yaml), stripSpans(text));
    assert.equal(printFlowText(yaml), 'call "shared/tip.flow" with bill = total * 2, note = "Hi" as t\n');
    assert.equal(
      printFlowYaml(text),
      "steps:\n  - call: {flow: shared/tip.flow, with: {bill: total * 2, note: '\"Hi\"'}, as: t}\n",
    );
    // Without params or capture, the YAML form is the path alone.
    assert.equal(
      printFlowYaml(parseFlow('call "greeting.flow"\n', "b.flow").flow!),
      "steps:\n  - call: greeting.flow\n",
    );
  });

  it("resolves paths from the calling file's directory", () => {
    assert.equal(resolveCallPath("flows/pay.flow", "shared/tip.flow"), "flows/shared/tip.flow");
    assert.equal(resolveCallPath("flows/scenarios/calls/a.flow", "../../shared/tip.flow"), "flows/shared/tip.flow");
  });

  it("types what a call captures as the called flow types it", () => {
    const r = load(
      {
        "pay.flow": 'call "tip.flow" with bill = 10.00 EUR as t\npay 10.00 USD tip t.tip\nexpect t.tip == true\n',
        "tip.flow": TIP,
      },
      "pay.flow",
    );
    assert.deepEqual(codes(r), ["currency-mismatch@pay.flow:2", "type-mismatch@pay.flow:3"]);
  });

  it("reads and checks each file once, however many calls reach it (a diamond is no cycle)", () => {
    const r = load(
      {
        "main.flow": 'call "a.flow"\ncall "b.flow"\ncall "a.flow"\n',
        "a.flow": 'call "d.flow"\n',
        "b.flow": 'call "d.flow"\n',
        "d.flow": "display idle\nparam x\n",
      },
      "main.flow",
    );
    // d.flow's one problem (a param after a step) is reported once, with the chain that first reached it.
    assert.deepEqual(codes(r), ["misplaced-declaration@d.flow:2"]);
    assert.deepEqual(
      r.diagnostics[0].related?.map((n) => n.message),
      ["called from a.flow:1:1", "called from main.flow:1:1"],
    );
    assert.deepEqual(Object.fromEntries(r.reads), { "a.flow": 1, "b.flow": 1, "d.flow": 1 });
  });

  it("finds a flow that calls itself, and never loops", () => {
    const r = load({ "a.flow": 'display "A"\ncall "a.flow"\n' }, "a.flow");
    assert.deepEqual(codes(r), ["call-cycle@a.flow:2"]);
    assert.match(r.diagnostics[0].message, /a\.flow calls itself/);
    assert.equal(r.flow, undefined);
  });

  it("allows calls 8 flows deep, and reads no file beyond", () => {
    const chain = (n: number): Record<string, string> =>
      Object.fromEntries(
        Array.from({ length: n + 1 }, (_, i) => [`${i}.flow`, i < n ? `call "${i + 1}.flow"\n` : "display idle\n"]),
      );
    assert.deepEqual(codes(load(chain(8), "0.flow")), []);
    const deeper = load(chain(9), "0.flow");
    assert.deepEqual(codes(deeper), ["call-too-deep@8.flow:1"]);
    assert.equal(deeper.reads.has("9.flow"), false);
  });

  it("counts a called flow's requests in its caller's session", () => {
    const r = load(
      {
        "main.flow": 'session waiting 5s on input <\n  call "tip.flow" with bill = 1.00 EUR\n>\n',
        "tip.flow": TIP,
      },
      "main.flow",
    );
    // No `empty-session`, no `waiting-matches-no-step`: the input is the called flow's.
    assert.deepEqual(codes(r), []);
  });

  it("without files to read, a call is an error that says how to give them", () => {
    const r = loadFlow('call "tip.flow"\n', "main.flow");
    assert.deepEqual(codes(r), ["call-file-unreadable@main.flow:1"]);
    assert.match(r.diagnostics[0].message, /no files to read it from/);
  });

  it("gives the called flows as plain data, which checkWithCalledFlows (runFlow) checks again", () => {
    const r = load(
      { "pay.flow": 'call "shared/tip.flow" with bill = 3.00 EUR as t\n', "shared/tip.flow": TIP },
      "pay.flow",
    );
    assert.ok(r.flow);
    assert.deepEqual(Object.keys(r.called.flows), ["shared/tip.flow"]);
    assert.deepEqual(r.called.links, { "pay.flow": { "shared/tip.flow": "shared/tip.flow" } });
    assert.deepEqual(JSON.parse(JSON.stringify(r.called)), r.called);
    assert.deepEqual(checkWithCalledFlows(r.flow, r.called), []);
    assert.deepEqual(
      checkWithCalledFlows(r.flow, { flows: {}, links: {} }).map((d) => d.code),
      ["call-file-unreadable"],
    );
  });

  it("renders a problem in a called file with its source and the chain", () => {
    const files = {
      "pay.flow": 'session waiting 5s <\n  call "greet.flow"\n>\n',
      "greet.flow": 'session waiting 1s <\n  display "Hi"\n>\n',
    };
    const r = load(files, "pay.flow");
    const text = renderDiagnostics(r.diagnostics, (f) => r.sources.get(f) ?? files[f as keyof typeof files]);
    assert.match(text, /error\[nested-session\][^\n]*\n --> greet\.flow:1:1/);
    assert.match(text, /note: the outer session starts here\n --> pay\.flow:1:1/);
    assert.match(text, /note: called from pay\.flow:2:3\n --> pay\.flow:2:3\n {2}\|\n2 \| {3}call "greet\.flow"/);
  });
});
