// Generated benchmark inputs: one flow of N statements in both syntaxes, built from the same block,
// so the text form and its YAML twin mean the same flow (test/bench/inputs.test.ts checks that).
// Nothing here is written to the repository: rows call these functions, or run
//   node bench/inputs.mjs 10000 out/dir      (writes bench-10000.flow and bench-10000.flow.yaml)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Statements in one block; sizes are whole blocks. */
export const STATEMENTS_PER_BLOCK = 10;

/**
 * One block, ten statements: a session holding two inputs, two displays, an if/else with a payment
 * in each branch and an expect, then a top-level wait. Every block captures its own names, so the
 * checks see as many names as blocks, and every `if` has the names of all blocks before it in scope.
 */
function textBlock(i) {
  return `session waiting 5000 <
  input confirm "Split the bill at table ${i}?" as split_${i}
  input digits "Guests?" within 30s as guests_${i}
  display "Table ${i}"
  if split_${i} == true {
    pay 12.50 EUR as pay_${i}
  } else {
    pay 25.00 EUR tip 2.00 EUR ref "T-${i}" as pay_${i}
  }
  expect pay_${i}.result == "approved" or pay_${i}.result == "declined"
  display "Thanks \${pay_${i}.result}" for 3s
>
wait 500ms
`;
}

function yamlBlock(i) {
  return `  - session:
      waiting: 5000
      steps:
        - input: {confirm: "Split the bill at table ${i}?", as: split_${i}}
        - input: {digits: "Guests?", within: 30s, as: guests_${i}}
        - display: "Table ${i}"
        - if:
            condition: split_${i} == true
            then:
              - pay: {amount: "12.50", currency: EUR, as: pay_${i}}
            else:
              - pay: {amount: "25.00", currency: EUR, tip: "2.00", ref: "T-${i}", as: pay_${i}}
        - expect: pay_${i}.result == "approved" or pay_${i}.result == "declined"
        - display: {text: "Thanks \${pay_${i}.result}", for: 3s}
  - wait: 500ms
`;
}

function blocks(statements) {
  const count = Math.ceil(statements / STATEMENTS_PER_BLOCK);
  if (!Number.isInteger(statements) || statements <= 0) throw new Error(`not a statement count: ${statements}`);
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** A flow of `statements` statements (rounded up to whole blocks) in the mini-language. */
export function textFlow(statements) {
  return `flow "Bench ${statements}"\n\n${blocks(statements).map(textBlock).join("")}`;
}

/** The same flow in YAML. */
export function yamlFlow(statements) {
  return `flow: "Bench ${statements}"\nsteps:\n${blocks(statements).map(yamlBlock).join("")}`;
}

/** Writes both forms into `dir`; returns their paths. */
export function writeFlows(statements, dir) {
  mkdirSync(dir, { recursive: true });
  const text = join(dir, `bench-${statements}.flow`);
  const yaml = join(dir, `bench-${statements}.flow.yaml`);
  writeFileSync(text, textFlow(statements));
  writeFileSync(yaml, yamlFlow(statements));
  return { text, yaml };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [count = "1000", dir = "."] = process.argv.slice(2);
  const { text, yaml } = writeFlows(Number(count), dir);
  console.log(`wrote ${text} and ${yaml}`);
}
