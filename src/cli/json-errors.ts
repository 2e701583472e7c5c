import { CommanderError } from "commander";
import { hideSecretLookingWords } from "../byom/key-like.js";
import { commandErrorJson, type CommandErrorJson } from "../session/run-json.js";

/** The commands whose `--json` follows the run's JSON contract on every exit path (docs/json-contract.md). */
const contractCommands = new Set(["run", "runs"]);

/**
 * Whether the command line asks for the JSON contract: `prose run … --json`, `prose runs … --json`.
 * Read from the words typed, so that a line commander refuses (an unknown option) still gets its
 * JSON error; words after `--` are not options.
 */
export function wantsJsonContract(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  const words = end < 0 ? argv : argv.slice(0, end);
  return contractCommands.has(words[0] ?? "") && words.includes("--json");
}

/** A line commander refused (unknown option, missing argument, …) as the contract's error. */
export function commanderErrorJson(problem: CommanderError, argv: readonly string[]): CommandErrorJson {
  const command = argv[0] === "runs" && (argv[1] === "list" || argv[1] === "show") ? `runs ${argv[1]}` : (argv[0] ?? "");
  const said = problem.message.replace(/^error:\s*/i, "").trim();
  const message = said === "(outputHelp)" || said === "" ? `\`prose ${command}\` needs a command.` : said;
  return commandErrorJson("usage", hideSecretLookingWords(message), `See \`prose ${command} --help\` for what it takes.`);
}
