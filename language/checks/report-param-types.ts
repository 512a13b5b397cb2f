// Reports a param whose default does not fit its declared type: `param guests: number = "3"`.
import type { Flow } from "../ast.js";
import { describeType } from "../values/types.js";
import { literalType, typeOfParamType } from "./bindings.js";
import type { Report } from "./report.js";

export function reportParamTypes(flow: Flow, report: Report): void {
  for (const param of flow.params) {
    const declared = param.type?.name;
    if (!declared || !param.default) continue;
    const expected = typeOfParamType(declared);
    const actual = literalType(param.default);
    if (actual.kind === expected.kind || actual.kind === "unknown") continue;
    report.error(
      "param-type-mismatch",
      `param \`${param.name.name}\` is ${describeType(expected)}, but its default is ${describeType(actual)}`,
      param.default.span,
      { hint: EXAMPLES[declared] },
    );
  }
}

const EXAMPLES: Record<string, string> = {
  money: "a money default is an amount and its currency, like `100.00 EUR`",
  number: "a number default is written without quotes, like `3`",
  string: 'a string default is quoted, like `"12"`',
  boolean: "a boolean default is `true` or `false`",
};
