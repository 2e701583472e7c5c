import { describe, expect, it } from "vitest";
import type { LanguageModel } from "../../src/llm/language-model.js";
import { guardedWhileLookingAhead, NotWhileLookingAhead } from "../../src/runtime/look-ahead-guard.js";
import type { RunContext } from "../../src/runtime/run-context.js";

function world(): { context: RunContext; done: string[] } {
  const done: string[] = [];
  const model = { providerId: "p", providerType: "openai", model: "m", generate: async () => (done.push("generate"), { text: "x" }), stream: () => (done.push("stream"), [][Symbol.iterator]()) } as unknown as LanguageModel;
  const context: RunContext = {
    say: (line) => void done.push(`say ${line}`),
    warn: () => undefined,
    now: () => new Date(0),
    sleep: async () => void done.push("sleep"),
    readFile: async () => (done.push("read"), new Uint8Array()),
    writeFile: async () => void done.push("write"),
    models: { resolve: async () => model },
  };
  return { context, done };
}

describe("while a strand looks ahead for questions", () => {
  it("nothing a person could see, and no model call, happens: each is refused", async () => {
    const { context, done } = world();
    const guarded = guardedWhileLookingAhead(context, { lookAhead: {} });
    expect(() => guarded.say("hi")).toThrow(NotWhileLookingAhead);
    await expect(guarded.writeFile("/x", "y")).rejects.toBeInstanceOf(NotWhileLookingAhead);
    await expect(guarded.readFile("/x")).rejects.toBeInstanceOf(NotWhileLookingAhead);
    await expect(guarded.sleep(10)).rejects.toBeInstanceOf(NotWhileLookingAhead);
    await expect(guarded.models!.resolve({} as never)).rejects.toBeInstanceOf(NotWhileLookingAhead);
    expect(done).toEqual([]);
  });

  it("a model resolved before looking ahead is refused too once it starts", async () => {
    const { context, done } = world();
    const strand: { lookAhead: unknown } = { lookAhead: undefined };
    const guarded = guardedWhileLookingAhead(context, strand);
    const model = await guarded.models!.resolve({} as never);
    strand.lookAhead = {};
    await expect(model.generate({} as never)).rejects.toBeInstanceOf(NotWhileLookingAhead);
    expect(done).toEqual([]);
  });

  it("otherwise everything goes through", async () => {
    const { context, done } = world();
    const guarded = guardedWhileLookingAhead(context, { lookAhead: undefined });
    guarded.say("hi");
    await guarded.writeFile("/x", "y");
    await guarded.readFile("/x");
    await guarded.sleep(1);
    await (await guarded.models!.resolve({} as never)).generate({} as never);
    expect(done).toEqual(["say hi", "write", "read", "sleep", "generate"]);
  });
});
