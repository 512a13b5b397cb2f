/** Replays docs/simulator.md's "A session with curl alone" command by command, as curl would send them. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createSimulator, type SimulatorServer } from "../../simulator/index.js";
import { fromRoot } from "../support/paths.js";

interface Curl {
  url: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
}

/** The documented section, its `sh` block and the `json` block of the expected timeline. */
function documented(): { commands: Curl[]; timeline: Array<Record<string, unknown>> } {
  const docs = readFileSync(fromRoot("docs", "simulator.md"), "utf8");
  const section = docs.slice(docs.indexOf("### A session with curl alone"), docs.indexOf("## The page"));
  const sh = /```sh\n([\s\S]*?)```/.exec(section)![1];
  const json = /```json\n([\s\S]*?)```/.exec(section)![1];
  const lines = sh
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const commands = lines
    .split(/\n(?=curl )/)
    .map((c) => c.trim())
    .filter((c) => c.startsWith("curl "))
    .map(parseCurl);
  return { commands, timeline: JSON.parse(json) };
}

/** `curl -s URL [-H 'k: v'] [-d '...']`: the only forms the docs use. */
function parseCurl(command: string): Curl {
  const url = /curl -s (\S+)/.exec(command)![1];
  const headers: Record<string, string> = {};
  for (const m of command.matchAll(/-H '([^:]+): ([^']*)'/g)) headers[m[1]] = m[2];
  const body = /-d '([\s\S]*)'/.exec(command)?.[1];
  return { url, method: body === undefined ? "GET" : "POST", headers, ...(body !== undefined ? { body } : {}) };
}

describe("docs/simulator.md: a session with curl alone", () => {
  let server: SimulatorServer;
  before(async () => {
    server = await createSimulator({ thinkTimeMs: 20 }).listen({ port: 0 });
  });
  after(async () => server.close());

  it("scripts the shopper, runs the flow and reads the timeline the docs show", async () => {
    const { commands, timeline } = documented();
    assert.equal(commands.length, 5);
    const answers: unknown[] = [];
    for (const c of commands) {
      const response = await fetch(c.url.replace("http://127.0.0.1:8080", server.url), {
        method: c.method,
        headers: c.headers,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      assert.equal(response.status, 200, c.url);
      const text = await response.text();
      answers.push(text ? JSON.parse(text) : undefined);
    }
    assert.deepEqual(answers[0], { pending: 1 });
    const input = answers[2] as { SaleToPOIResponse: { InputResponse: { InputResult: { Input: unknown } } } };
    assert.deepEqual(input.SaleToPOIResponse.InputResponse.InputResult.Input, {
      InputCommand: "GetConfirmation",
      ConfirmedFlag: false,
    });
    const seen = answers[4] as Array<Record<string, unknown>>;
    const withoutTimes = (list: Array<Record<string, unknown>>) => list.map(({ at: _at, ...rest }) => rest);
    assert.deepEqual(withoutTimes(seen), withoutTimes(timeline));
  });
});
