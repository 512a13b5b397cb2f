import assert from "node:assert/strict";
import { RunEmitter } from "../../runtime/events.js";

const stepStartEvent = (path: string) => ({
  at: 0,
  path,
  kind: "display" as const,
  label: "display",
  span: { file: "x", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } },
});

describe("runtime/events RunEmitter", () => {
  it("calls every listener even when one throws, and reports the throw", () => {
    const emitter = new RunEmitter();
    const heard: string[] = [];
    const errors: string[] = [];
    emitter.onListenerError = (event, error) => errors.push(`${event}: ${(error as Error).message}`);
    emitter.on("stepStart", () => heard.push("first"));
    emitter.on("stepStart", () => {
      throw new Error("boom");
    });
    emitter.on("stepStart", () => heard.push("third"));
    assert.equal(emitter.emit("stepStart", stepStartEvent("1")), true);
    assert.deepEqual(heard, ["first", "third"]);
    assert.deepEqual(errors, ["stepStart: boom"]);
  });

  it("honours once, context and removal like eventemitter3", () => {
    const emitter = new RunEmitter();
    const calls: string[] = [];
    const context = { name: "ctx" };
    emitter.once(
      "stepStart",
      function (this: { name: string }, e) {
        calls.push(`once ${e.path} ${this.name}`);
      },
      context,
    );
    const always = (e: { path: string }) => calls.push(`always ${e.path}`);
    emitter.on("stepStart", always);
    emitter.emit("stepStart", stepStartEvent("1"));
    emitter.emit("stepStart", stepStartEvent("2"));
    emitter.off("stepStart", always);
    assert.equal(emitter.emit("stepStart", stepStartEvent("3")), false);
    assert.deepEqual(calls, ["once 1 ctx", "always 1", "always 2"]);
  });

  it("survives an error handler that throws too", () => {
    const emitter = new RunEmitter();
    emitter.onListenerError = () => {
      throw new Error("handler bug");
    };
    emitter.on("stepStart", () => {
      throw new Error("listener bug");
    });
    assert.doesNotThrow(() => emitter.emit("stepStart", stepStartEvent("1")));
  });

  it("gives back and removes listeners as they were registered", () => {
    const emitter = new RunEmitter();
    const calls: string[] = [];
    const a = () => calls.push("a");
    const b = () => calls.push("b");
    const ctx = {};
    emitter.on("stepStart", a).on("stepStart", a, ctx).once("stepStart", b).addListener("stepEnd", a);
    assert.deepEqual(emitter.listeners("stepStart"), [a, a, b]);
    emitter.off("stepStart", a, ctx);
    assert.deepEqual(emitter.listeners("stepStart"), [a, b]);
    emitter.removeListener("stepStart", b, undefined, true);
    emitter.emit("stepStart", stepStartEvent("1"));
    assert.deepEqual(calls, ["a"]);
    emitter.removeAllListeners("stepStart");
    assert.equal(emitter.listenerCount("stepStart"), 0);
    assert.equal(emitter.listenerCount("stepEnd"), 1);
    emitter.off("stepEnd");
    assert.deepEqual(emitter.eventNames(), []);
  });

  it("forgets a once listener after it ran, so off() of it is harmless", () => {
    const emitter = new RunEmitter();
    const once = () => {};
    emitter.once("stepStart", once);
    emitter.emit("stepStart", stepStartEvent("1"));
    assert.deepEqual(emitter.listeners("stepStart"), []);
    emitter.off("stepStart", once);
    assert.equal(emitter.emit("stepStart", stepStartEvent("2")), false);
  });
});
