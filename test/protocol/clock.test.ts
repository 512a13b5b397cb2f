import assert from "node:assert/strict";
import { formatElapsed } from "../../protocol/index.js";

describe("protocol/clock", () => {
  const shows = (ms: number, text: string) =>
    it(`formatElapsed(${ms}) is "${text}"`, () => assert.equal(formatElapsed(ms), text));
  shows(0, "0 ms");
  shows(-3, "0 ms");
  shows(849.6, "850 ms");
  shows(1000, "1 s");
  shows(1234, "1.23 s");
  shows(12_540, "12.5 s");
  shows(59_999, "1 min 00 s");
  shows(60_000, "1 min 00 s");
  shows(125_400, "2 min 05 s");
});
