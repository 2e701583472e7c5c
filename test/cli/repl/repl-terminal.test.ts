import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../support/built-cli.js";

/**
 * `prose repl` as a person uses it: the real binary in a terminal (tmux), keys typed one line at
 * a time, the screen read back.
 */
const root = resolve(import.meta.dirname, "../../..");
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!hasTmux) console.warn("SKIPPED: the terminal test of `prose repl` needs tmux, which is not installed.");

const socket = `prose-repl-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
let folder: string;

const screen = () => tmux("capture-pane", "-p", "-J", "-t", "repl", "-S", "-200");

/** Waits until the text shows at or after a place on the screen; returns the screen and where it showed. */
async function waitFor(text: string, after = 0): Promise<{ shown: string; at: number }> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const shown = screen();
    const at = shown.indexOf(text, after);
    if (at >= 0) return { shown, at };
    if (Date.now() > deadline) throw new Error(`"${text}" never showed; the screen was:\n${shown}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Where the line being typed now starts: the prompt at the end of the screen. */
function promptLine(): number {
  const shown = screen().trimEnd();
  return shown.lastIndexOf("\n") + 1;
}

/** Types a line and waits until the given text (the next prompt by default) shows after it. */
async function type(line: string, until = "prose> "): Promise<string> {
  const start = promptLine();
  tmux("send-keys", "-t", "repl", "-l", line);
  tmux("send-keys", "-t", "repl", "Enter");
  const echoed = await waitFor(`${line}\n`, start);
  return (await waitFor(until, echoed.at + line.length + 1)).shown;
}

beforeAll(() => {
  if (!hasTmux) return;
  buildIfStale();
  folder = mkdtempSync(join(tmpdir(), "prose-repl-terminal-"));
  const command = `cd ${folder} && PROSE_HOME=${join(folder, "workspace")} node ${join(root, "bin/prose.js")} repl`;
  tmux("new-session", "-d", "-s", "repl", "-x", "150", "-y", "60");
  tmux("set-option", "-t", "repl", "remain-on-exit", "on");
  tmux("respawn-pane", "-k", "-t", "repl", command);
}, 120000);

afterAll(() => {
  if (!hasTmux) return;
  spawnSync("tmux", ["-L", socket, "kill-server"]);
  rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)("prose repl in a terminal", () => {
  it("defines a procedure over lines, calls it, shows an error and goes on, asks inline, lists facts, quits", async () => {
    await waitFor("prose> ");
    await type("to greet a person", "...... ");
    await type('    say "Hello, {the person}!"', "...... ");
    await type("");
    let shown = await type('greet "Ada"');
    expect(shown).toContain("Hello, Ada!");

    shown = await type("the total is 5 +* 2");
    expect(shown).toMatch(/repl-3:1:17: error: I expected a value/);
    expect(shown).toMatch(/\n {2}the total is 5 \+\* 2\n {2}\s*\^/);

    shown = await type('gret "Bob"');
    expect(shown).toContain("did you mean: greet {person} (repl-1:1:1)");

    shown = await type("say the city", "? What is the city? ");
    shown = await type("Paris");
    expect(shown).toMatch(/\? What is the city\? Paris\nParis\n/);

    const beforeTab = promptLine();
    tmux("send-keys", "-t", "repl", "-l", "gre");
    tmux("send-keys", "-t", "repl", "Tab");
    await waitFor("prose> greet", beforeTab);
    shown = await type('"Bob"', "Hello, Bob!");
    expect(shown).toContain("Hello, Bob!");

    shown = await type(":facts");
    expect(shown).toContain('the city is "Paris"');

    tmux("send-keys", "-t", "repl", "-l", ":quit");
    tmux("send-keys", "-t", "repl", "Enter");
    const deadline = Date.now() + 10000;
    while (tmux("display-message", "-p", "-t", "repl", "#{pane_dead}").trim() !== "1") {
      if (Date.now() > deadline) throw new Error(`prose repl did not end at :quit; the screen was:\n${screen()}`);
      await new Promise((done) => setTimeout(done, 50));
    }
    const history = readFileSync(join(folder, "workspace", "repl-history"), "utf8");
    expect(history).toContain('greet "Ada"');
    expect(history).toContain(":facts");
  }, 60000);
});
