import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import { startScriptedServer } from "../../support/scripted-server.js";
import { replCommand } from "../../../src/cli/repl-command.js";
import { opensBlock } from "../../../src/cli/repl/block-continuation.js";
import { complete, phraseOf } from "../../../src/cli/repl/completion.js";
import { ReplSession } from "../../../src/cli/repl/repl-session.js";
import type { RunContext } from "../../../src/runtime/run-context.js";

interface Printed {
  out: string[];
  err: string[];
}

function session(answers: string[] = []): { repl: ReplSession; printed: Printed } {
  const printed: Printed = { out: [], err: [] };
  const writer = { out: (line: string) => printed.out.push(line), err: (line: string) => printed.err.push(line) };
  const context: RunContext = {
    say: (line) => writer.out(line),
    warn: (message) => writer.err(`warning: ${message}`),
    now: () => new Date("2026-01-02T03:04:05Z"),
    sleep: async () => undefined,
    readFile: async () => new Uint8Array(),
    writeFile: async () => undefined,
    askPerson: async (question) => {
      writer.out(`? ${question.text}`);
      return { value: answers.shift() ?? "" };
    },
  };
  const loadSource = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  };
  return { repl: new ReplSession({ writer, context, currentDirectory: mkdtempSync(join(tmpdir(), "prose-repl-")), loadSource }), printed };
}

describe("a REPL session", () => {
  it("keeps facts and procedures across inputs", async () => {
    const { repl, printed } = session();
    await repl.handle('the greeting is "Hello"');
    await repl.handle("to greet a person\n    say \"{the greeting}, {the person}!\"\n    the result is the person");
    await repl.handle('greet "Ada"');
    await repl.handle("say the above");
    expect(printed.out).toEqual(["Hello, Ada!", "Ada"]);
    expect(printed.err).toEqual([]);
  });

  it("shows the value of a line that is only a name, and makes it the above", async () => {
    const { repl, printed } = session();
    await repl.handle('the order name is "Widgets"');
    await repl.handle("the order name");
    await repl.handle("John's age is 21");
    await repl.handle("John's age");
    await repl.handle('say "{the above}!"');
    await repl.handle(":facts");
    expect(printed.out).toEqual(["Widgets", "21", "21!", 'the order name is "Widgets"', "John is age: 21"]);
    expect(printed.err).toEqual([]);
  });

  it("calls a procedure named like a statement that an earlier input defined", async () => {
    const { repl, printed } = session();
    await repl.handle('to process a sale\n    say "processing {the sale}"\n');
    await repl.handle('process "S-1"');
    expect(printed.out).toEqual(["processing S-1"]);
    expect(printed.err).toEqual([]);
  });

  it("counts earlier inputs as the script when reading an ordinal word", async () => {
    const { repl, printed } = session();
    await repl.handle('the first name is "Jennifer"');
    await repl.handle('the last name is "Okafor"');
    await repl.handle('say "{the first name} {the last name}"');
    await repl.handle('the tags are "a", "b"');
    await repl.handle("say the last tag");
    expect(printed.out).toEqual(["Jennifer Okafor", "b"]);
    expect(printed.err).toEqual([]);
  });

  it("shows an error with a caret and goes on; nothing of a failing input is kept", async () => {
    const { repl, printed } = session();
    await repl.handle("to double a number\n    the result is the number * 2\naprove the invoice");
    expect(printed.err.join("\n")).toContain('repl-1:3:1: error: I don\'t know how to "aprove the invoice".');
    expect(printed.err.join("\n")).toContain("  ^^^^^^^^^^^^^^^^^^");
    printed.err.length = 0;
    await repl.handle("double 4");
    expect(printed.err[0]).toContain('repl-2:1:1: error: I don\'t know how to "double 4".');
    printed.err.length = 0;
    await repl.handle('the total is "abc" * 2');
    expect(printed.err[0]).toMatch(/^repl-3:1:14: error: /);
    expect(printed.err[0]).toContain("^");
    await repl.handle("say 1 + 1");
    expect(printed.out).toEqual(["2"]);
  });

  it("replaces a procedure defined again", async () => {
    const { repl, printed } = session();
    await repl.handle('to shout\n    say "a"');
    await repl.handle('to shout\n    say "b"');
    await repl.handle("shout");
    expect(printed).toEqual({ out: ["b"], err: [] });
  });

  it("asks questions inline and keeps the answer", async () => {
    const { repl, printed } = session(["Grace", "SMS"]);
    await repl.handle("say the customer");
    await repl.handle('ask "How to notify?"\n    the choices are "Email", "SMS"');
    await repl.handle("say the answer");
    expect(printed.out).toEqual(["? What is the customer?", "Grace", "? How to notify?", "SMS"]);
  });

  it("lists facts and procedures, loads a file, and resets", async () => {
    const { repl, printed } = session();
    await repl.handle("the total is 1200\nthe names are \"a\" and \"b\"");
    await repl.handle(":facts");
    expect(printed.out).toEqual(["the total is 1200", 'the names are a and b']);
    printed.out.length = 0;
    await repl.handle("to approve an invoice\n    say \"ok\"");
    await repl.handle(":procedures");
    expect(printed.out[0]).toBe("Your procedures:");
    expect(printed.out[1]).toMatch(/^ {2}approve \{invoice\} {2}— Defined at repl-2:1:1\.$/);
    expect(printed.out).toContain("Standard procedures:");
    expect(printed.out.some((line) => line.startsWith("  split {text} into parts  — "))).toBe(true);
    printed.out.length = 0;
    const folder = mkdtempSync(join(tmpdir(), "prose-repl-load-"));
    writeFileSync(join(folder, "lib.prose"), 'the vendor is "Acme"\nto wave\n    say "bye"\n');
    await repl.handle(`:load ${join(folder, "lib.prose")}`);
    await repl.handle("wave\nsay the vendor");
    expect(printed.out).toEqual([`Loaded ${join(folder, "lib.prose")}.`, "bye", "Acme"]);
    printed.out.length = 0;
    await repl.handle(":reset");
    await repl.handle(":facts");
    expect(printed.out).toEqual(["Forgot every fact and procedure of this session.", "No facts yet."]);
    expect(await repl.handle(":quit")).toBe("quit");
  });
});

describe("block continuation", () => {
  it("goes on after a line that opens a block", () => {
    expect(opensBlock("to greet a person")).toBe(true);
    expect(opensBlock("if the total is more than 5 then")).toBe(true);
    expect(opensBlock("if the total is more than 5")).toBe(true);
    expect(opensBlock("process each invoice in the invoices")).toBe(true);
    expect(opensBlock("repeat 3 times")).toBe(true);
    expect(opensBlock("validate the following")).toBe(true);
    expect(opensBlock("split the text into parts with")).toBe(true);
    expect(opensBlock('ask "Which?":')).toBe(true);
    expect(opensBlock('say "hello"')).toBe(false);
    expect(opensBlock("the total is 5")).toBe(false);
    expect(opensBlock("say 1 +")).toBe(false);
  });
});

describe("completion", () => {
  it("completes procedure phrases, fact names and commands", async () => {
    const { repl } = session();
    await repl.handle("the invoice total is 5\nthe invoice number is 7\nto approve an invoice\n    say 1");
    const sources = { phrasebook: () => repl.runSession.phrasebook, factNames: () => repl.runSession.facts.keys(), commands: [":facts", ":quit"] };
    expect(complete("appr", sources)).toEqual([["approve "], "appr"]);
    expect(complete("say the invoice t", sources)).toEqual([["the invoice total"], "the invoice t"]);
    expect(complete("say the inv", sources)[0]).toEqual(["the invoice number", "the invoice total"]);
    expect(complete(":f", sources)).toEqual([[":facts"], ":f"]);
    expect(phraseOf("translate {text} to {language}")).toBe("translate ");
  });
});

describe("prose repl over a stream", () => {
  it("reads blocks until a blank line, answers questions inline, and leaves at :quit", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const printed: Printed = { out: [], err: [] };
    const writer = { out: (line: string) => printed.out.push(line), err: (line: string) => printed.err.push(line) };
    const folder = mkdtempSync(join(tmpdir(), "prose-repl-stream-"));
    input.end(['to greet a person', '    say "Hi {the person}"', "", 'greet "Ada"', "say the city", "Paris", "say the city", ":quit", 'say "never"', ""].join("\n"));
    const code = await replCommand({ environment: {}, input, output, terminal: false, services: { currentDirectory: folder } }, writer);
    expect(code).toBe(0);
    expect(printed.out.slice(1)).toEqual(["Hi Ada", "Paris", "Paris"]);
    expect(printed.err).toEqual([]);
  });
});

describe("LLM procedures in the REPL", () => {
  it("call the model through the same resolver as prose run", async () => {
    const server = await startScriptedServer();
    try {
      server.enqueue(openAiCompletion("Hello from the model"));
      const input = new PassThrough();
      const printed: Printed = { out: [], err: [] };
      const writer = { out: (line: string) => printed.out.push(line), err: (line: string) => printed.err.push(line) };
      const folder = mkdtempSync(join(tmpdir(), "prose-repl-llm-"));
      input.end('ask the model "Say hello"\nsay the answer\n');
      const environment = { OPENAI_API_KEY: "sk-repl-test-0123456789abcdefghijkl", OPENAI_BASE_URL: `${server.url}/v1` };
      const code = await replCommand({ environment, input, output: new PassThrough(), terminal: false, services: { currentDirectory: folder } }, writer);
      expect(code).toBe(0);
      expect(printed.err).toEqual([]);
      expect(printed.out.slice(1)).toEqual(["Hello from the model"]);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
