/**
 * schemas/flow.schema.json: generated from the step definitions (no drift), valid for editors
 * (ajv, strict), accepts every YAML flow termflow writes or ships, rejects misspelt keys.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import { parse } from "yaml";
import type { Flow } from "../../language/ast.js";
import { flowJsonSchemaText } from "../../language/yaml/json-schema.js";
import { parseFlowYaml } from "../../language/yaml/parse-yaml.js";
import { printFlowYaml } from "../../language/yaml/print-yaml.js";
import { flowArb } from "../support/arbitrary-flow.js";
import { fromRoot } from "../support/paths.js";

const SCHEMA_FILE = fromRoot("schemas", "flow.schema.json");

let validate: ValidateFunction;

before(() => {
  // Strict, except `oneOf: [{required: [confirm]}, ...]` (exactly one input kind), the usual idiom,
  // which strictRequired flags because those subschemas do not repeat `properties`.
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
});

/** The schema's errors for a YAML text, as `path: message` lines (empty when it validates). */
function schemaErrors(yaml: string): string[] {
  return validate(parse(yaml)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath}: ${e.message}`);
}

const accepts = (yaml: string) => assert.deepEqual(schemaErrors(yaml), [], yaml);
const rejects = (yaml: string) => assert.notDeepEqual(schemaErrors(yaml), [], `the schema accepted:\n${yaml}`);

describe("schemas/flow.schema.json", () => {
  it("equals a fresh generation from the step definitions (run `npx tsx scripts/generate-schema.ts`)", () => {
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), flowJsonSchemaText());
  });

  it("is draft-07 with descriptions on every step for hover text", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
    for (const [key, step] of Object.entries<{ description?: string }>(schema.definitions.step.properties)) {
      assert.ok(step.description, `step ${key} has no description`);
    }
  });

  it("validates every example flow in flows/", () => {
    const files = readdirSync(fromRoot("flows")).filter((f) => f.endsWith(".flow.yaml"));
    assert.ok(files.length >= 6, "the example flows are there");
    for (const file of files) accepts(readFileSync(fromRoot("flows", file), "utf8"));
  });

  it("validates every complete example in docs/yaml.md", function () {
    const doc = fromRoot("docs", "yaml.md");
    if (!existsSync(doc)) this.skip();
    const examples = [...readFileSync(doc, "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((y) => /^steps:/m.test(y));
    assert.ok(examples.length >= 3, "docs/yaml.md has whole-flow examples");
    for (const example of examples) {
      accepts(example);
      assert.deepEqual(
        parseFlowYaml(example, "docs/yaml.md").diagnostics.map((d) => d.code),
        [],
        example,
      );
    }
  });

  it("validates the forms of every step", () => {
    accepts(`flow: Pay at table
params: {table: "7", guests: null, n: 3, vip: false}
steps:
  - session:
      waiting: 5000
      id: S1
      steps:
        - input: {confirm: "Split the bill?", as: split, within: 30s}
        - input: {menu: Rate us, entries: [Good, Bad], as: rating}
        - display: Thanks
        - display: {text: Thanks, for: 3s}
        - display: {idle: true}
        - display: idle
        - pay: {amount: "12.50", currency: EUR, tip: "1.00", ref: "T7", as: payment}
        - pay: {amount: 12.50, currency: EUR}
        - pay: 12.50 EUR
        - pay: total / 2
  - session: {waiting: 5s, on: [input, display], steps: []}
  - session: {waiting: {input: 15000, display: 10000}, steps: []}
  - wait: 2s
  - expect: split == true
  - expect: true
  - if: {condition: "split == true", then: [{wait: 1s}], else: [{wait: 2s}]}
`);
  });

  it("validates every form of refund, print, acquire, status, `within`, `on` and call", () => {
    accepts(`params: {total: 30.00 EUR}
steps:
  - acquire: {within: 30s, as: card}
    on: {cancelled: [{display: No card read}]}
  - acquire: {}
  - pay: {amount: total, with: card, within: 90s, as: p}
    on:
      declined: {retry: 1, steps: [{display: Declined}]}
      timeout: [{status: p}]
      failure: []
  - refund: p
  - refund: {payment: p, amount: "5.00", currency: EUR, as: r}
    on: {refused: {retry: 2}}
  - refund: {payment: p, amount: 5.00 EUR}
  - refund: {amount: 5.00 EUR, as: back}
  - print: {receipt: p}
  - print: {receipt: p, copy: cashier, as: copy}
  - print: {lines: [Table 7, Thank you], as: note}
  - status: p
  - status: {payment: p, as: s}
  - input: {confirm: Receipt?, as: receipt}
    on: {cancelled: {use: false}, timeout: {use: true, steps: [{display: No answer}]}}
  - call: {flow: shared/tip.flow, with: {bill: total}, as: t}
  - call: shared/greeting.flow.yaml
`);
  });

  it("rejects misused refund, print, acquire, status, `on` and call steps", () => {
    rejects("steps: [{refund: {as: r}}]");
    rejects("steps: [{refund: {payment: p, amount: 5.00 EUR, curency: EUR}}]");
    rejects("steps: [{print: {reciept: p}}]");
    rejects("steps: [{print: {receipt: p, copy: casheir}}]");
    rejects("steps: [{print: {receipt: p, lines: [x]}}]");
    rejects("steps: [{print: {lines: [x], copy: cashier}}]");
    rejects("steps: [{print: {lines: []}}]");
    rejects("steps: [{acquire: crad}]");
    rejects("steps: [{acquire: {card: true}}]");
    rejects("steps: [{status: {as: s}}]");
    rejects("steps: [{pay: 5.00 EUR, on: {decline: []}}]");
    rejects("steps: [{pay: 5.00 EUR, on: {unknown: []}}]");
    rejects("steps: [{pay: 5.00 EUR, on: {}}]");
    rejects("steps: [{pay: 5.00 EUR, on: {declined: {retry: 10}}}]");
    rejects("steps: [{pay: 5.00 EUR, on: {declined: {retry: true}}}]");
    rejects("steps: [{input: {confirm: ok?, as: ok}, on: {cancelled: {retry: 1, use: false}}}]");
    rejects("steps: [{call: {with: {bill: total}}}]");
    rejects("steps: [{call: {flow: tip.flow, as: 3t}}]");
    rejects("steps: [{call: {flow: tip.flow, wiht: {}}}]");
  });

  it("rejects misspelt keys", () => {
    rejects("stpes: []");
    rejects('steps: [{pay: {amount: "1.00", curency: EUR}}]');
    rejects("steps: [{dispaly: Thanks}]");
    rejects("steps: [{pay: [12.50 EUR]}]");
    rejects('steps: [{input: {confrm: "Split?"}}]');
    rejects("steps: [{session: {waitng: 5s, steps: []}}]");
  });

  it("rejects wrong shapes and values", () => {
    rejects("steps: [{wait: 1s, display: x}]");
    rejects("steps: [{wait: 5m}]");
    rejects("steps: [{pay: {amount: abc, currency: EUR}}]");
    rejects('steps: [{pay: {amount: "1.00", currency: ERU}}]');
    rejects("steps: [{pay: {currency: EUR}}]");
    rejects("steps: [{input: {confirm: a, text: b}}]");
    rejects("steps: [{input: {as: x}}]");
    rejects("steps: [{input: {confirm: a, entries: [x]}}]");
    rejects("steps: [{input: {menu: a}}]");
    rejects("steps: [{input: {confirm: a, as: 3x}}]");
    rejects("steps: [{display: {text: a, idle: true}}]");
    rejects("steps: [{display: {idle: true, for: 3s}}]");
    rejects("steps: [{session: {waiting: 1s, on: [inptu], steps: []}}]");
    rejects("steps: [{session: {waiting: {}, steps: []}}]");
    rejects("flow: x");
  });

  it("accepts every flow printFlowYaml writes", () => {
    const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;
    // Unknown currencies are the schema's to reject (an enum, for completion); the checks do too.
    const knownCurrencies = (flow: Flow) => !JSON.stringify(flow).includes('"code":"XYZ"');
    fc.assert(
      fc.property(flowArb.filter(uniqueParams).filter(knownCurrencies), (flow) => {
        const yaml = printFlowYaml(flow);
        assert.deepEqual(schemaErrors(yaml), [], yaml);
      }),
      { numRuns: 200 },
    );
  });
});
