import { resolve } from "node:path";
import type { SourceLoader } from "../../check/check-script.js";
import { formatDiagnostic } from "../../syntax/format-diagnostic.js";
import { displayFact } from "../../runtime/display.js";
import type { RunContext } from "../../runtime/run-context.js";
import { RunSession, type SessionOutcome } from "../../session/run-session.js";
import { showRunError } from "../show-problems.js";
import type { Writer } from "../writer.js";
import { factLines, helpText, procedureLines } from "./commands.js";
import { standardPhrasebook } from "../../../stdlib/registry.js";

export interface ReplSessionOptions {
  writer: Writer;
  /** Output, files, the model resolver and the person answering questions (at the prompt). */
  context: RunContext;
  /** Where `:load` paths start (`learn` and file paths typed at the prompt start at the process's folder). */
  currentDirectory: string;
  /** Reads `:load`ed and learned files, inside the session's files root (see files-policy.ts). */
  loadSource: SourceLoader;
}

/**
 * The REPL's state: one run session (facts, procedures, `the above`) across inputs, numbered
 * inputs (`repl-3:1:5` in messages), and the `:` commands. Knows nothing of terminals: the loop
 * in repl-command.ts reads the inputs and hands them here.
 */
export class ReplSession {
  private session: RunSession;
  private inputs = 0;

  constructor(private readonly options: ReplSessionOptions) {
    this.session = this.newSession();
  }

  get runSession(): RunSession {
    return this.session;
  }

  /** One input: a `:` command or Prose lines. Says "quit" when the session should end. */
  async handle(input: string): Promise<"quit" | "continue"> {
    const trimmed = input.trim();
    if (trimmed === "") return "continue";
    if (trimmed.startsWith(":")) return this.command(trimmed);
    this.inputs += 1;
    this.show(await this.session.run(input, `repl-${this.inputs}`));
    return "continue";
  }

  private async command(line: string): Promise<"quit" | "continue"> {
    const [name = "", ...rest] = line.split(/\s+/);
    const argument = rest.join(" ").replace(/^["“](.*)["”]$/, "$1");
    const { writer } = this.options;
    switch (name.toLowerCase()) {
      case ":quit":
      case ":q":
      case ":exit":
        return "quit";
      case ":help":
      case ":h":
        writer.out(helpText);
        return "continue";
      case ":facts":
        for (const line of factLines(this.session.facts)) writer.out(line);
        return "continue";
      case ":procedures":
        for (const line of procedureLines(this.session.phrasebook)) writer.out(line);
        return "continue";
      case ":reset":
        this.session = this.newSession();
        writer.out("Forgot every fact and procedure of this session.");
        return "continue";
      case ":load":
        await this.load(argument);
        return "continue";
      default:
        writer.err(`error: I don't know the command "${name}".`);
        writer.err("  fix: type :help to see the commands.");
        return "continue";
    }
  }

  private async load(path: string): Promise<void> {
    if (path === "") {
      this.options.writer.err("error: :load needs a file, as in `:load invoice.prose`.");
      return;
    }
    const absolute = resolve(this.options.currentDirectory, path);
    const source = this.options.loadSource(absolute);
    if (typeof source === "object") {
      this.options.writer.err(`error: I can't load "${path}": ${source.refused}.`);
      this.options.writer.err(`  ${source.fix}`);
      return;
    }
    if (source === undefined) {
      this.options.writer.err(`error: I can't read the script ${path} (looked for ${absolute}).`);
      return;
    }
    const outcome = await this.session.run(source, path);
    this.show(outcome);
    if (outcome.status === "done") this.options.writer.out(`Loaded ${path}.`);
  }

  private show(outcome: SessionOutcome): void {
    const { writer } = this.options;
    for (const diagnostic of outcome.diagnostics) writer.err(formatDiagnostic(diagnostic, outcome.program.sources.get(diagnostic.span.file)));
    if (outcome.shown) writer.out(displayFact(outcome.shown));
    if (outcome.error) showRunError(outcome.error, outcome.program, writer);
    for (const question of outcome.questions ?? []) writer.err(`waiting: ${question.text}  [${question.at}]`);
  }

  private newSession(): RunSession {
    return new RunSession(this.options.context, { loadSource: this.options.loadSource, phrasebook: standardPhrasebook() });
  }
}
