import { describe, expect, it } from "vitest";
import type { RunContext } from "../../src/runtime/run-context.js";
import { RunSession } from "../../src/session/run-session.js";
import { runContextFor } from "../../src/session/run-host.js";
import type { Question } from "../../src/runtime/questions.js";

function quiet(said: string[] = []): RunContext {
  return { say: (line) => said.push(line), warn: () => undefined, now: () => new Date("2026-01-02T03:04:05Z"), sleep: async () => undefined, readFile: async () => new Uint8Array(), writeFile: async () => undefined };
}

describe("a run session (the REPL's and prose test's inputs)", () => {
  it("ends an input stopped from outside as prose run does: failed, with the stop's message, not an internal error", async () => {
    const controller = new AbortController();
    controller.abort(new Error("The run was interrupted (Ctrl-C)."));
    // The wait is cut short by the stop, as the command line's clock does.
    const session = new RunSession({ ...quiet(), signal: controller.signal, sleep: async () => Promise.reject(controller.signal.reason) });
    const outcome = await session.run('wait 1 seconds\nsay "after"\n', "repl-1");
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.message).toBe("The run was interrupted (Ctrl-C).");
    expect(outcome.error?.message).not.toContain("internal error");
  });

  it("compiles each input through the session's compile: problems in one order, and nothing of a failing input runs", async () => {
    const said: string[] = [];
    const session = new RunSession(quiet(said));
    const outcome = await session.run('say "one\nfrobnicate the thing\n', "repl-1");
    expect(outcome.status).toBeUndefined();
    expect(outcome.diagnostics.map((diagnostic) => diagnostic.span.start.line)).toEqual([1, 2]);
    expect(said).toEqual([]);
  });
});

describe("the run context the session makes", () => {
  it("is complete when made: the host's world, the models, the stop signal, and questions that receive the signal", async () => {
    const controller = new AbortController();
    const asked: Array<AbortSignal | undefined> = [];
    const models = { resolve: async () => Promise.reject(new Error("no model")) };
    const context = runContextFor(
      { ...quiet(), askPerson: async (_question: Question, signal: AbortSignal | undefined) => (asked.push(signal), { value: "x" }) },
      { models, signal: controller.signal },
    );
    expect(context.models).toBe(models);
    expect(context.signal).toBe(controller.signal);
    await context.askPerson!({ id: "q-1", text: "Who?", kind: "text", choices: [], at: "x:1" } as unknown as Question);
    expect(asked).toEqual([controller.signal]);
  });

  it("has no models, signal or person when none is given", () => {
    const context = runContextFor(quiet(), {});
    expect("models" in context || "signal" in context || "askPerson" in context).toBe(false);
  });
});
