import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliServices } from "../../src/cli/cli-services.js";
import { askAtTerminal } from "../../src/cli/terminal-question.js";
import { RunStopped } from "../../src/runtime/errors.js";

/**
 * Ctrl-C and --timeout stop a run at any moment, not only during a model call: in a loop that
 * never waits, during `wait`, and at a question asked at the terminal.
 */
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-stopping-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Seconds of work at least, on any machine: without the pulse it would run to its end, say "finished" and exit 0. */
const endless = `the counter is 0\nsay "started"\nrepeat 20000000 times\n    add 1 to the counter\nsay "finished"\n`;

async function prose(source: string, args: string[], services: CliServices = {}) {
  const file = join(folder, "script.prose");
  writeFileSync(file, source);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["run", file, "--workspace", join(folder, "workspace"), ...args], { out: (line) => out.push(line), err: (line) => err.push(line) }, {}, services);
  return { code, out, err };
}

describe("stopping a run", () => {
  it("--timeout stops a loop that never waits, at the statement it reached, with exit 124", async () => {
    const { code, out, err } = await prose(endless, ["--timeout", "0.3"]);
    expect(code).toBe(124);
    expect(out).toEqual(["started"]);
    expect(err[0]).toBe(`stopped: the run went past its --timeout of 0.3 s; the model calls in flight were cancelled. It stopped at ${join(folder, "script.prose")}:4:5.`);
  });

  it("Ctrl-C stops a loop that never waits, with exit 130, and --json says so", async () => {
    const services: CliServices = {
      onInterrupt: (handler) => {
        const timer = setTimeout(handler, 100);
        return () => clearTimeout(timer);
      },
    };
    const { code, out } = await prose(endless, ["--json"], services);
    expect(code).toBe(130);
    const json = JSON.parse(out[0]) as { status: string; stopped: string; output: string[]; error: { message: string; at: string } };
    expect(json).toMatchObject({ status: "failed", stopped: "interrupted", output: ["started"], error: { message: "The run was interrupted (Ctrl-C).", at: `${join(folder, "script.prose")}:4:5` } });
  });

  it("--timeout ends a `wait` at once, naming its line, not as an internal error", async () => {
    const { code, out, err } = await prose(`say "waiting"\nwait 60 seconds\nsay "done"\n`, ["--timeout", "0.2", "--json"]);
    expect(code).toBe(124);
    const json = JSON.parse(out[0]) as { output: string[]; error: { message: string; at: string } };
    expect(json.output).toEqual(["waiting"]);
    expect(json.error).toMatchObject({ message: "The run went past its --timeout of 0.2 s.", at: `${join(folder, "script.prose")}:2:1` });
    expect(err).toEqual([]);
  });
});

describe("a question at the terminal", () => {
  const question = { id: "q1", text: "How many?", choices: [], kind: "value" } as unknown as Parameters<typeof askAtTerminal>[0];

  it("takes the answer typed", async () => {
    const input = new PassThrough();
    const asked = askAtTerminal(question, { input, output: new PassThrough() });
    input.write("42\r");
    expect(await asked).toEqual({ value: "42" });
  });

  it("passes Ctrl-C typed there on as Ctrl-C, and ends when the run stops", async () => {
    const input = new PassThrough();
    const run = new AbortController();
    let interrupted = 0;
    const asked = askAtTerminal(question, {
      input,
      output: new PassThrough(),
      signal: run.signal,
      interrupt: () => {
        interrupted += 1;
        run.abort(new Error("The run was interrupted (Ctrl-C)."));
      },
    });
    input.write("\x03");
    const stopped = await asked.catch((problem: unknown) => problem);
    expect(stopped).toBeInstanceOf(RunStopped);
    expect((stopped as RunStopped).message).toBe("The run was interrupted (Ctrl-C).");
    expect(interrupted).toBe(1);
  });
});
