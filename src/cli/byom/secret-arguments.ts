import { type Command, Option } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { looksLikeSecret } from "../../byom/key-like.js";

/** Options a person may try for a secret; accepted by the parser only to be refused with the reason. */
const trapOptions = ["api-key", "key", "secret", "token", "password"] as const;

const secretWays = "Give secrets with --api-key-stdin (for example `printenv MY_KEY | prose byom add openai --api-key-stdin`), --api-key-env VAR or --credentials-file F.";
const revoke = "If it was a real key, revoke it at the provider: your shell history holds it now.";

/** Adds the options for giving a secret, and the hidden ones that are refused. */
export function withSecretOptions(command: Command): Command {
  command
    .option("--api-key-stdin", "read the API key (or credentials JSON) from standard input")
    .option("--api-key-env <variable>", "read the API key from this environment variable")
    .option("--credentials-file <file>", "read the API key or credentials JSON from this file");
  for (const name of trapOptions) command.addOption(new Option(`--${name} <value>`).hideHelp());
  return command;
}

/**
 * Refuses a secret on the command line: the hidden `--api-key`-like options, any option value or
 * extra argument that looks like a key (a key pasted into --name or --base-url). The messages say
 * why and never repeat the value.
 */
export function refuseSecretArguments(given: object, extraArguments: readonly string[] = []): void {
  const options = given as Record<string, unknown>;
  for (const name of trapOptions) {
    if (options[camelCase(name)] !== undefined) {
      throw new ByomError(`--${name} would put the secret on the command line, where \`ps\` shows it to other users and the shell history keeps it; Prose refuses it and saved nothing.`, `${secretWays} ${revoke}`);
    }
  }
  for (const [name, value] of Object.entries(options)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === "string" && looksLikeSecret(item))) {
      throw new ByomError(`The value of --${kebabCase(name)} looks like an API key or another secret. On the command line it would show in \`ps\` and stay in the shell history, so Prose refuses it and saved nothing.`, `${secretWays} ${revoke}`);
    }
  }
  for (const argument of extraArguments) {
    if (looksLikeSecret(argument)) {
      throw new ByomError("An argument looks like an API key or another secret. On the command line it would show in `ps` and stay in the shell history, so Prose refuses it and saved nothing.", `${secretWays} ${revoke}`);
    }
  }
  if (extraArguments.length > 0) throw new ByomError(`Unexpected argument "${extraArguments[0]}".`, "See `prose byom --help` for the arguments each command takes.");
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * For commands that take no secret: refuses an option value or an argument (a provider id, a
 * model) that looks like a key, before any message could repeat it.
 */
export function refuseSecretLikeValues(options: object, argumentsGiven: ReadonlyArray<string | undefined | readonly string[]>): void {
  const values = argumentsGiven.flatMap((argument) => (argument === undefined ? [] : typeof argument === "string" ? [argument] : [...argument]));
  refuseSecretArguments(options, values.filter((value) => looksLikeSecret(value)));
}
