import { type Command, Option } from "commander";
import { ByomError } from "../byom/byom-error.js";
import { deleteNamedSecret, namedSecrets, putNamedSecret, secretName } from "../byom/named-secrets.js";
import { describeSource, readSecret, type SecretSource } from "../byom/secret-input.js";
import { ensureWorkspace } from "../byom/workspace.js";
import { looksLikeSecret } from "../byom/key-like.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand } from "./byom/byom-session.js";
import { readProcessStandardInput } from "./cli-services.js";

interface AddOptions extends CommonOptions {
  stdin?: boolean;
  env?: string;
  file?: string;
  value?: string;
}

function withOptions(command: Command, json: boolean): Command {
  command.option("--agent <name>", 'the agent whose secrets these are (default "default")').option("--workspace <dir>", "the workspace folder (default: PROSE_HOME, or .prose in the current folder)");
  if (json) command.addOption(new Option("--json", "print one JSON object"));
  return command;
}

/**
 * `prose secret add|list|remove`: the agent's named secrets, which a script uses as
 * `the credential "NAME"` (see src/byom/named-secrets.ts). A value is never an argument: it comes
 * from standard input, an environment variable or a file.
 */
export function registerSecretCommands(program: Command, context: ByomCommandContext): void {
  const secret = program.command("secret").description("Named secrets a script uses as `the credential \"NAME\"` (kept in the agent's secret store).");

  const add = withOptions(secret.command("add").description("Store a secret under a name (replacing one of that name).").argument("<name>", 'the name, as in `the credential "NAME"`'), true)
    .option("--stdin", "read the value from standard input")
    .option("--env <variable>", "read the value from this environment variable")
    .option("--file <file>", "read the value from this file");
  add.addOption(new Option("--value <value>").hideHelp());
  add.action(async (name: string, options: AddOptions) => {
    await runByomCommand(context, options, async (session) => {
      if (options.value !== undefined) {
        throw new ByomError("--value would put the secret on the command line, where `ps` shows it and the shell history keeps it; Prose refuses it and saved nothing.", "Give it with --stdin, --env VAR or --file F. If it was a real secret, change it where it was issued.");
      }
      const source = sourceOf(options);
      if (looksLikeSecret(name)) {
        throw new ByomError("The name given looks like a secret value, not a name: on the command line it would show in `ps` and stay in the shell history, so Prose refuses it and saved nothing.", 'Give a name, and the value another way: printenv CRM_TOKEN | prose secret add "crm token" --stdin. If it was a real secret, change it where it was issued.');
      }
      const wanted = secretName(name);
      const value = await readSecret(source, { readStandardInput: context.services.readStandardInput ?? readProcessStandardInput, environment: context.environment, currentDirectory: session.currentDirectory }).catch((problem: unknown) => {
        // readSecret's advice names `byom add`'s options; these are `secret add`'s.
        if (problem instanceof ByomError) throw new ByomError(problem.message.replace("credentials file", "file"), "Give the value with --stdin, --env VAR or --file F.");
        throw problem;
      });
      const result = await session.change("secret add", async () => {
        await ensureWorkspace(session.workspace);
        return putNamedSecret(await session.secretStore(), session.agent, wanted, value);
      });
      session.print({ agent: session.agent, secret: result.name, replaced: result.replaced }, [`${result.replaced ? "Replaced" : "Stored"} the secret "${result.name}" of the agent "${session.agent}" (from ${describeSource(source)}). A script uses it as the credential "${result.name}".`]);
      return 0;
    });
  });

  withOptions(secret.command("list").description("List the agent's secret names (never their values)."), true).action(async (options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const names = await namedSecrets(await session.secretStore(), session.agent);
      session.print({ agent: session.agent, secrets: names }, names.length === 0 ? [`The agent "${session.agent}" has no secrets. Add one with: prose secret add NAME --stdin`] : names);
      return 0;
    });
  });

  withOptions(secret.command("remove").description("Remove a secret.").argument("<name>", "the secret's name"), true).action(async (name: string, options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const wanted = secretName(name);
      const removed = await session.change("secret remove", async () => deleteNamedSecret(await session.secretStore(), session.agent, wanted));
      if (!removed) throw new ByomError(`The agent "${session.agent}" has no secret named "${wanted}".`, "See its secrets with `prose secret list`.");
      session.print({ agent: session.agent, removed: wanted }, [`Removed the secret "${wanted}" of the agent "${session.agent}".`]);
      return 0;
    });
  });
}

function sourceOf(options: AddOptions): SecretSource {
  const sources: SecretSource[] = [];
  if (options.stdin === true) sources.push({ kind: "stdin" });
  if (options.env !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.env)) throw new ByomError("--env takes the name of an environment variable, and this value is not one.", "Write the variable's name, for example --env CRM_TOKEN.");
    sources.push({ kind: "environment", variable: options.env });
  }
  if (options.file !== undefined) sources.push({ kind: "file", path: options.file });
  if (sources.length !== 1) throw new ByomError(sources.length === 0 ? "Give the secret's value with --stdin, --env VAR or --file F." : "Give the secret one way only.", "For example: printenv CRM_TOKEN | prose secret add \"crm token\" --stdin");
  return sources[0]!;
}
