import { describe, expect, it } from "vitest";
import { colourAllowed, ProgressLine, progressText, wantsProgress } from "../../src/cli/progress-line.js";
import type { GenerateResult } from "../../src/llm/language-model.js";

const call = (inputTokens: number, outputTokens: number): GenerateResult => ({
  text: "",
  usage: { inputTokens, outputTokens },
  finishReason: "stop",
  providerId: "openai",
  providerType: "openai",
  model: "m",
  warnings: [],
});

describe("the progress line", () => {
  it("is shown only to a person: both streams a terminal, and never with --json", () => {
    expect(wantsProgress({ json: false, stdoutIsTerminal: true, stderrIsTerminal: true })).toBe(true);
    expect(wantsProgress({ json: true, stdoutIsTerminal: true, stderrIsTerminal: true })).toBe(false);
    expect(wantsProgress({ json: false, stdoutIsTerminal: false, stderrIsTerminal: true })).toBe(false);
    expect(wantsProgress({ json: false, stdoutIsTerminal: true, stderrIsTerminal: false })).toBe(false);
  });

  it("respects NO_COLOR", () => {
    expect(colourAllowed({})).toBe(true);
    expect(colourAllowed({ NO_COLOR: "" })).toBe(true);
    expect(colourAllowed({ NO_COLOR: "1" })).toBe(false);
    const state = { itemsDone: 3, itemsTotal: 10, modelCalls: 5, tokens: 1234, elapsedMilliseconds: 125_000 };
    expect(progressText(state, false)).toBe("3/10 items · 5 model calls · 1,234 tokens · 2m 05s");
    expect(progressText(state, true)).toBe("\u001b[2m3/10 items · 5 model calls · 1,234 tokens · 2m 05s\u001b[22m");
    expect(progressText({ itemsDone: 0, itemsTotal: 0, modelCalls: 1, tokens: 0, elapsedMilliseconds: 4000 }, false)).toBe("1 model call · 4s");
  });

  it("appears after a second, counts items, calls and tokens, and clears itself before other lines", () => {
    let now = 0;
    const written: string[] = [];
    const line = new ProgressLine({ write: (text) => written.push(text), columns: 80 }, { colour: false, now: () => now });
    line.progress({ kind: "items", added: 4 });
    line.draw();
    expect(written).toEqual([]);
    now = 1500;
    line.progress({ kind: "item-done" });
    line.modelCall(call(100, 20));
    line.draw();
    expect(written).toEqual(["\r\u001b[2K1/4 items · 1 model call · 120 tokens · 1s"]);
    const printed: string[] = [];
    line.writer({ out: (text) => printed.push(`out ${text}`), err: (text) => printed.push(`err ${text}`) }).out("hello");
    expect(written.at(-1)).toBe("\r\u001b[2K");
    expect(printed).toEqual(["out hello"]);
    line.stop();
    expect(written).toHaveLength(2);
  });

  it("is held away while a question is asked at the terminal", async () => {
    let now = 5000;
    const written: string[] = [];
    const line = new ProgressLine({ write: (text) => written.push(text) }, { colour: false, now: () => now, delay: 0 });
    line.draw();
    await line.hold(async () => {
      line.draw();
      now += 1000;
      line.draw();
    });
    expect(written).toEqual(["\r\u001b[2K0 model calls · 0s", "\r\u001b[2K"]);
  });

  it("fits the terminal's width", () => {
    const written: string[] = [];
    const line = new ProgressLine({ write: (text) => written.push(text), columns: 20 }, { colour: true, now: () => 2000, delay: 0 });
    line.progress({ kind: "items", added: 1000 });
    line.draw();
    expect(written[0]).toBe("\r\u001b[2K0/1000 items · 0 mo");
  });
});
