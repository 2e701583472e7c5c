import { Command, CommanderError, Option } from "commander";
import { checkCommand } from "./check-command.js";
import { runCommand } from "./run-command.js";
import { UsageError } from "./usage-error.js";
import { processWriter, type Writer } from "./writer.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The `prose` command line. Returns the exit code; never exits the process itself. */
export async function main(argv: string[], writer: Writer = processWriter, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode = 0;
  const program = new Command("prose")
    .description("Run automation scripts written in plain English.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (text) => writer.out(text.trimEnd()), writeErr: (text) => writer.err(text.trimEnd()) });

  program
    .command("run")
    .description("Run a script.")
    .argument("<file>", "the .prose script")
    .option("--input <name=value>", "set `the name` before the run; name=@path opens a file as a document", collect, [])
    .option("--answers <file>", "a JSON file of answers, by question id or text")
    .option("--answer <key=value>", 'an answer, as "the vendor\'s email=x@y.z" or "q-…=Email"', collect, [])
    .addOption(new Option("--json", "print one JSON object with status, output, facts, questions and error"))
    .action(async (file: string, options: { input: string[]; answers?: string; answer: string[]; json?: boolean }) => {
      exitCode = await runCommand(file, { ...options, json: options.json === true, interactive: process.stdin.isTTY === true, environment }, writer);
    });

  program
    .command("check")
    .description("Report every problem in scripts without running them.")
    .argument("<files...>", "the .prose scripts")
    .action((files: string[]) => {
      exitCode = checkCommand(files, writer);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (problem) {
    if (problem instanceof CommanderError) return problem.exitCode === 0 ? 0 : 2;
    if (problem instanceof UsageError) {
      writer.err(`error: ${problem.message}`);
      if (problem.fix) writer.err(`  ${problem.fix}`);
      return 2;
    }
    const message = problem instanceof Error ? problem.message : String(problem);
    writer.err(`error: Prose hit an internal error: ${message}. Please report it with the script that caused it.`);
    if (environment.PROSE_DEBUG && problem instanceof Error) writer.err(problem.stack ?? "");
    return 1;
  }
}
