/**
 * What an InputRequest shows (docs/protocol.md's screens, picked by ReferenceID + InputCommand) and what
 * a shopper's answer to it looks like on the wire.
 */
import type { Input, InputRequest, MenuEntry, OutputText } from "../protocol/index.js";
import type { InputScreenKind, ShopperAnswer, ShopperValue } from "./types.js";

/** The most menu buttons a terminal shows (docs/protocol.md). */
export const MAX_MENU_ENTRIES = 15;

export interface InputScreen {
  kind: InputScreenKind;
  prompt: string;
  texts: string[];
  referenceId?: string;
  inputCommand: string;
  menu?: string[];
  /** MaxInputTime in ms, when the request set one. */
  maxInputTimeMs?: number;
  defaultInput?: string;
  /** Multi-answer menus: MinLength/MaxLength of InputData. */
  minSelections?: number;
  maxSelections?: number;
}

const KIND_BY_REFERENCE: Record<string, InputScreenKind> = {
  GetConfirmation: "confirmation",
  GetSignature: "signature",
  MenuButtons: "menu",
  GetDigit: "digits",
  GetPhoneNumber: "phone",
  GetAmount: "amount",
  GetText: "text",
  GetRating: "rating",
};

const KIND_BY_COMMAND: Record<string, InputScreenKind> = {
  GetConfirmation: "confirmation",
  GetMenuEntry: "menu",
  DigitString: "digits",
  DecimalString: "amount",
  TextString: "text",
  Password: "text",
  GetAnyKey: "anykey",
  GetFunctionKey: "anykey",
};

function textsOf(list: OutputText[] | undefined): string[] {
  return Array.isArray(list) ? list.map((t) => (typeof t?.Text === "string" ? t.Text : "")) : [];
}

function menuLabel(entry: MenuEntry): string {
  return textsOf(entry?.OutputText).join(" ").trim();
}

/** The screen an (already validated) InputRequest puts up. */
export function describeInput(request: InputRequest): InputScreen {
  const output = request.DisplayOutput;
  const referenceId = output?.OutputContent?.PredefinedContent?.ReferenceID;
  const command = request.InputData.InputCommand;
  const texts = textsOf(output?.OutputContent?.OutputText);
  // Own keys only: a ReferenceID such as "constructor" names no screen.
  const kind =
    (referenceId && Object.hasOwn(KIND_BY_REFERENCE, referenceId) && KIND_BY_REFERENCE[referenceId]) ||
    (Object.hasOwn(KIND_BY_COMMAND, command) && KIND_BY_COMMAND[command]) ||
    "other";
  const max = request.InputData.MaxInputTime;
  return {
    kind,
    prompt: texts[0] ?? "",
    texts,
    referenceId,
    inputCommand: command,
    menu: Array.isArray(output?.MenuEntry) ? output.MenuEntry.map(menuLabel) : undefined,
    maxInputTimeMs: typeof max === "number" && max > 0 ? max * 1000 : undefined,
    defaultInput:
      typeof request.InputData.DefaultInputString === "string" ? request.InputData.DefaultInputString : undefined,
    minSelections: typeof request.InputData.MinLength === "number" ? request.InputData.MinLength : undefined,
    maxSelections: typeof request.InputData.MaxLength === "number" ? request.InputData.MaxLength : undefined,
  };
}

/** What a shopper does when nobody scripted this screen. */
export function defaultAnswer(screen: InputScreen): ShopperAnswer {
  switch (screen.kind) {
    case "confirmation":
    case "signature":
    case "anykey":
      return { confirm: true };
    case "menu":
      return { select: 1 };
    case "phone":
      return { digits: screen.defaultInput || "0612345678" };
    case "rating":
      return { digits: "5" };
    case "amount":
      return { amount: screen.defaultInput && screen.defaultInput !== "0.00" ? screen.defaultInput : "10.00" };
    case "text":
      return { text: screen.defaultInput || "shopper@example.com" };
    default:
      return screen.inputCommand === "TextString"
        ? { text: screen.defaultInput || "text" }
        : { digits: screen.defaultInput || "1234" };
  }
}

const YES = ["yes", "true", "confirm", "sign", "signed", "ok"];
const NO = ["no", "false", "decline", "declined", "refuse"];

/** Why a value does not fit a screen, and what would. */
export interface Misfit {
  ok: false;
  message: string;
  hint: string;
}

/**
 * A written answer fitted to the screen it meets (the `given` vocabulary's rules): yes/no on a
 * confirmation, an entry's label or number on a menu, an amount like `12.50`, digits as typed.
 */
export function fitValue(screen: InputScreen, value: ShopperValue): { ok: true; answer: ShopperAnswer } | Misfit {
  const values = Array.isArray(value) ? value : [value];
  const first = values[0];
  const where = `the ${screen.kind} screen ${JSON.stringify(screen.prompt)}`;
  const text = first === undefined ? "" : String(first);
  switch (screen.kind) {
    case "confirmation":
    case "signature":
    case "anykey": {
      const word = text.toLowerCase();
      if (first === true || YES.includes(word)) return { ok: true, answer: { confirm: true } };
      if (first === false || NO.includes(word)) return { ok: true, answer: { confirm: false } };
      return { ok: false, message: `\`${text}\` does not answer ${where}`, hint: "answer `yes` or `no`" };
    }
    case "menu": {
      const menu = screen.menu ?? [];
      const picks: Array<number | string> = [];
      for (const v of values) {
        const label = typeof v === "string" ? menu.find((m) => m.toLowerCase() === v.toLowerCase()) : undefined;
        const n = typeof v === "number" ? v : /^[0-9]+$/.test(String(v)) ? Number(v) : undefined;
        if (label !== undefined) picks.push(label);
        else if (n !== undefined && Number.isInteger(n) && n >= 1 && n <= menu.length) picks.push(n);
        else
          return {
            ok: false,
            message: `${JSON.stringify(v)} is not an entry of ${where}`,
            hint: `its entries are ${menu.map((m) => JSON.stringify(m)).join(", ")} (or their numbers, 1 to ${menu.length})`,
          };
      }
      return { ok: true, answer: { select: picks.length === 1 ? picks[0] : picks } };
    }
    case "amount":
      if (typeof first !== "boolean" && /^[0-9]+(\.[0-9]+)?$/.test(text)) return { ok: true, answer: { amount: text } };
      return { ok: false, message: `\`${text}\` is not an amount for ${where}`, hint: "answer an amount like `12.50`" };
    case "text":
      return { ok: true, answer: { text } };
    case "digits":
    case "phone":
    case "rating":
      if (first !== undefined && typeof first !== "boolean") return { ok: true, answer: { digits: text } };
      return { ok: false, message: `\`${text}\` is not digits for ${where}`, hint: 'answer digits like `"1234"`' };
    default:
      return { ok: true, answer: screen.inputCommand === "TextString" ? { text } : { digits: text } };
  }
}

/** The Input an answer produces on this screen, or why the answer does not fit it. */
export function inputFor(
  screen: InputScreen,
  given: ShopperAnswer,
): { ok: true; input: Input } | { ok: false; message: string } {
  let answer = given;
  if ("value" in given) {
    const fitted = fitValue(screen, given.value);
    if (!fitted.ok) return { ok: false, message: `${fitted.message}: ${fitted.hint}` };
    answer = fitted.answer;
  }
  const command = screen.inputCommand as Input["InputCommand"];
  const misfit = (what: string) => ({
    ok: false as const,
    message: `scripted answer ${what} does not fit a ${screen.kind} screen (InputCommand ${command})`,
  });
  switch (command) {
    case "GetConfirmation":
      return "confirm" in answer
        ? { ok: true, input: { InputCommand: command, ConfirmedFlag: answer.confirm } }
        : misfit(keyOf(answer));
    case "GetMenuEntry": {
      if (!("select" in answer)) return misfit(keyOf(answer));
      const menu = screen.menu ?? [];
      const picks = Array.isArray(answer.select) ? answer.select : [answer.select];
      const mask = menu.map(() => 0);
      for (const pick of picks) {
        const index =
          typeof pick === "number" ? pick - 1 : menu.findIndex((label) => label.toLowerCase() === pick.toLowerCase());
        if (index < 0 || index >= menu.length)
          return {
            ok: false,
            message: `scripted menu choice ${JSON.stringify(pick)} is not one of ${JSON.stringify(menu)}`,
          };
        mask[index] = 1;
      }
      return { ok: true, input: { InputCommand: command, MenuEntryNumber: mask } };
    }
    case "DigitString":
    case "DecimalString": {
      const value = "digits" in answer ? answer.digits : "amount" in answer ? answer.amount : undefined;
      return value === undefined
        ? misfit(keyOf(answer))
        : { ok: true, input: { InputCommand: command, DigitInput: value } };
    }
    case "TextString": {
      const value = "text" in answer ? answer.text : "digits" in answer ? answer.digits : undefined;
      return value === undefined
        ? misfit(keyOf(answer))
        : { ok: true, input: { InputCommand: command, TextInput: value } };
    }
    case "Password":
      return "text" in answer || "digits" in answer
        ? {
            ok: true,
            input: {
              InputCommand: command,
              Password: "text" in answer ? answer.text : (answer as { digits: string }).digits,
            },
          }
        : misfit(keyOf(answer));
    default:
      return { ok: true, input: { InputCommand: command, FunctionKey: 1 } };
  }
}

function keyOf(answer: ShopperAnswer): string {
  return `{${Object.keys(answer)
    .filter((k) => k !== "thinkMs")
    .join(", ")}}`;
}
