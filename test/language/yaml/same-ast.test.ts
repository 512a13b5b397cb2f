/** Both syntaxes of one flow give the same AST (spans aside): the runtime cannot tell them apart. */
import { expectSameAst } from "./helpers.js";

describe("YAML and the mini-language give the same AST", () => {
  it("the issue's contract example", () =>
    expectSameAst(
      `flow: Pay at table
steps:
  - session:
      waiting: 5000
      steps:
        - input: {confirm: "Split the bill?", as: split}
        - display: Thanks
        - pay: {amount: "12.50", currency: EUR, as: payment}
  - expect: split == true
`,
      `flow "Pay at table"
session waiting 5000 < input confirm "Split the bill?" as split; display "Thanks"; pay 12.50 EUR as payment >
expect split == true
`,
    ));

  it("params and interpolation", () =>
    expectSameAst(
      'params: {table: "7", guests: null, n: -3, vip: false}\nsteps:\n  - display: "Table ${table}: $$5 off"\n',
      'param table = "7"\nparam guests\nparam n = -3\nparam vip = false\ndisplay "Table ${table}: $5 off"\n',
    ));

  it("a literal ${ in both syntaxes", () => expectSameAst('steps: [{display: "$${x}"}]', 'display "\\${x}"'));

  it("sessions with some and with per-type timeouts", () =>
    expectSameAst(
      `steps:
  - session: {waiting: 5s, on: [input, display], id: S1, steps: [{wait: 1s}]}
  - session:
      waiting: {input: 15000, display: 10000}
      steps: [{display: idle}]
`,
      `session waiting 5s on input, display id "S1" < wait 1s >
session waiting input 15000, display 10000 < display idle >
`,
    ));

  it("every input kind and a menu", () =>
    expectSameAst(
      `steps:
  - input: {confirm: "Ok?", within: 30s, as: ok}
  - input: {digits: Code, as: code}
  - input: {text: Name, as: name}
  - input: {amount: Tip, as: tip}
  - input: {phone: Phone, as: phone}
  - input: {signature: Sign, as: signed}
  - input: {menu: Rate us, entries: [Good, "Very bad"], as: rating}
`,
      `input confirm "Ok?" within 30s as ok
input digits "Code" as code
input text "Name" as name
input amount "Tip" as tip
input phone "Phone" as phone
input signature "Sign" as signed
input menu "Rate us" ["Good", "Very bad"] as rating
`,
    ));

  it("displays and payments", () =>
    expectSameAst(
      `steps:
  - display: {text: Thanks, for: 3s}
  - display: {text: idle}
  - pay: {amount: 1.250, currency: KWD, tip: "0.100", ref: "T-\${table}", as: p}
  - wait: 250ms
`,
      'display "Thanks" for 3s\ndisplay "idle"\npay 1.250 KWD tip 0.100 KWD ref "T-${table}" as p\nwait 250ms\n',
    ));

  it("a payment of only an amount, short (`pay: 12.50 EUR`) and long", () => {
    const text = "param total: money = 50.00 EUR\npay 12.50 EUR\npay total / 2\n";
    const params = "params:\n  total: {type: money, default: 50.00 EUR}\n";
    expectSameAst(`${params}steps:\n  - pay: 12.50 EUR\n  - pay: total / 2\n`, text);
    expectSameAst(`${params}steps:\n  - pay: {amount: "12.50", currency: EUR}\n  - pay: {amount: total / 2}\n`, text);
  });

  it("the contract of issue 10: typed params, a split, a tip percentage, amounts and interpolated ids", () =>
    expectSameAst(
      `flow: Split the bill
params:
  total: {type: money, default: 100.00 EUR}
  guests: {type: number, default: 3}
  table: {type: string}
steps:
  - session:
      waiting: 5s
      id: table-\${table}
      steps:
        - input: {menu: Tip?, entries: [None, 10 %, 15 %], as: choice}
        - for:
            each: share
            in: split(total, guests)
            steps:
              - pay: {amount: share, tip: share * 10%, ref: "t\${table}", as: p}
              - expect: p.amount == share * 110%
        - input: {amount: Extra donation?, currency: EUR, as: gift}
        - if:
            condition: gift > 0.00 EUR
            then:
              - pay: {amount: gift, as: donation}
        - display: Paid \${total}, thank you
`,
      `flow "Split the bill"
param total: money = 100.00 EUR
param guests: number = 3
param table: string

session waiting 5s id "table-\${table}" <
  input menu "Tip?" ["None", "10 %", "15 %"] as choice
  for share in split(total, guests) {
    pay share tip share * 10% ref "t\${table}" as p
    expect p.amount == share * 110%
  }
  input amount "Extra donation?" in EUR as gift
  if gift > 0.00 EUR { pay gift as donation }
  display "Paid \${total}, thank you"
>
`,
    ));

  it("if, else if and else with expressions", () =>
    expectSameAst(
      `steps:
  - if:
      condition: not (a.x >= 2 or b != "no") and -c < 3
      then: [{wait: 1s}]
      else:
        - if: {condition: d, then: [{display: D}], else: [{expect: "false"}]}
`,
      `if not (a.x >= 2 or b != "no") and -c < 3 { wait 1s } else if d { display "D" } else { expect false }
`,
    ));
});
