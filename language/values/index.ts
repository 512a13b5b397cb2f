/**
 * Flow values, their types and the one evaluator: what the checks, `termflow plan` and a run all
 * evaluate expressions with (see evaluate.ts and rules.ts).
 */
export { evaluate, renderTemplate } from "./evaluate.js";
export {
  describeOperand,
  loopItems,
  payable,
  readNumberText,
  repeatCount,
  settle,
  type Environment,
  type Problem,
} from "./rules.js";
export {
  BOOLEAN,
  describeType,
  known,
  MONEY,
  moneyType,
  NUMBER,
  STRING,
  typeOfValue,
  UNKNOWN,
  UNKNOWN_VALUE,
  valueText,
  type FieldSpec,
  type Type,
  type TypeKind,
  type Typed,
} from "./types.js";
export { isRecord, numberText, textOf, type Value, type ValueList, type ValueRecord } from "./value.js";
