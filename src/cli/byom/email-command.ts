import { type Command, Option } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { readWorkspaceSettings } from "../../byom/config-files.js";
import type { EmailSettings } from "../../byom/config-schema.js";
import { checkEmailOptions, describeSecurity, removeEmailSettings, setEmailSettings } from "../../byom/email-settings.js";
import { describeStore } from "../../byom/secret-store-access.js";
import { readProcessStandardInput } from "../cli-services.js";
import { type ByomCommandContext, type ByomSession, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

type AddOptions = CommonOptions & { host?: string; port?: string; from?: string; user?: string; passwordStdin?: boolean; passwordEnv?: string; password?: string; tls?: boolean; starttls?: boolean };

/** `prose byom email add|show|remove`: how the agent sends email (`send an email`), its password in the secret store. */
export function registerEmailCommands(byom: Command, context: ByomCommandContext): void {
  const email = byom.command("email").description("How the agent sends email: its SMTP server, sender and login (the password goes to the secret store).");

  const add = email
    .command("add")
    .description("Set the agent's SMTP server (replacing earlier settings).")
    .option("--host <host>", "the SMTP server")
    .option("--port <port>", "its port (default 587, or 465 with --tls)")
    .option("--from <address>", "the address the mail comes from")
    .option("--user <name>", "the login; without it, mail is sent without AUTH")
    .option("--password-stdin", "read the password from standard input")
    .option("--password-env <variable>", "read the password from this environment variable")
    .option("--tls", "implicit TLS from the first byte (port 465)")
    .option("--starttls", "require STARTTLS (default: STARTTLS when the server offers it)")
    .addOption(new Option("--password <value>").hideHelp());
  withCommonOptions(add).action(async (options: AddOptions) => {
    await runByomCommand(context, options, async (session) => {
      if (options.password !== undefined) {
        throw new ByomError(
          "--password would put the password on the command line, where `ps` shows it to other users and the shell history keeps it; Prose refuses it and saved nothing.",
          "Give it with --password-stdin (for example `printenv SMTP_PASSWORD | prose byom email add … --password-stdin`) or --password-env VAR. If it was a real password, change it: your shell history holds it now.",
        );
      }
      const checked = checkEmailOptions(options);
      const password = await readPassword(options, session);
      const { settings, replaced } = await setEmailSettings(
        { workspace: session.workspace, agent: session.agent, store: () => session.secretStore(), change: (command, work) => session.change(command, work), ...(context.services.now === undefined ? {} : { now: context.services.now }) },
        checked,
        password,
      );
      const store = (await readWorkspaceSettings(session.workspace)).store;
      session.print({ agent: session.agent, email: publicView(settings), store }, [`${replaced ? "Replaced" : "Saved"} the email settings of the agent "${session.agent}": ${summary(settings)}.`]);
      if (!session.json && settings.credentialVersion !== null) session.writer.err(`The password is in the ${describeStore(store)} store.`);
      return 0;
    });
  });

  withCommonOptions(email.command("show").description("Show the agent's email settings (never the password).")).action(async (options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const settings = (await session.agentConfig()).email;
      if (settings === undefined) {
        session.print({ agent: session.agent, email: null }, [`The agent "${session.agent}" has no email settings. Add them with \`prose byom email add --host HOST --port PORT --from ADDRESS${session.agentOption}\`.`]);
        return 0;
      }
      const store = (await readWorkspaceSettings(session.workspace)).store;
      session.print({ agent: session.agent, email: publicView(settings), store }, [
        `host        ${settings.host}`,
        `port        ${settings.port}`,
        `security    ${describeSecurity(settings.security)}`,
        `from        ${settings.from}`,
        `user        ${settings.user ?? "(none: no AUTH)"}`,
        `password    ${settings.credentialVersion === null ? "(none)" : `stored (version ${settings.credentialVersion}, ${describeStore(store)} store)`}`,
        `updated     ${settings.updatedAt}`,
      ]);
      return 0;
    });
  });

  withCommonOptions(email.command("remove").description("Remove the agent's email settings and delete its password.")).action(async (options: CommonOptions) => {
    await runByomCommand(context, options, async (session) => {
      const { removed, deletedSecretVersions } = await removeEmailSettings({ workspace: session.workspace, agent: session.agent, store: () => session.secretStore(), change: (command, work) => session.change(command, work) });
      session.print({ agent: session.agent, removed, deletedSecretVersions }, [
        removed ? `Removed the email settings of the agent "${session.agent}"${deletedSecretVersions > 0 ? " and deleted its password" : ""}.` : `The agent "${session.agent}" had no email settings.`,
      ]);
      return 0;
    });
  });
}

/** The settings as shown: everything but the password, which is only said to be stored. */
function publicView(settings: EmailSettings): object {
  const { host, port, from, security, user, credentialVersion, updatedAt } = settings;
  return { host, port, from, security, user: user ?? null, password: credentialVersion === null ? null : { stored: true, version: credentialVersion }, updatedAt };
}

function summary(settings: EmailSettings): string {
  return `${settings.host}:${settings.port} (${describeSecurity(settings.security)}), from ${settings.from}, ${settings.user === undefined ? "no login" : `login ${settings.user}`}`;
}

/** The password from standard input or a variable, never an argument; only the final line break is dropped. */
async function readPassword(options: AddOptions, session: ByomSession): Promise<string | undefined> {
  if (options.passwordStdin === true && options.passwordEnv !== undefined) throw new ByomError("Give the password one way only.", "Use --password-stdin or --password-env VAR.");
  let text: string | undefined;
  let where: string;
  if (options.passwordStdin === true) {
    text = await (session.context.services.readStandardInput ?? readProcessStandardInput)();
    where = "standard input";
  } else if (options.passwordEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.passwordEnv)) throw new ByomError("--password-env takes the name of an environment variable, and this value is not one.", "Write the variable's name, for example --password-env SMTP_PASSWORD.");
    text = session.context.environment[options.passwordEnv];
    where = `the variable ${options.passwordEnv}`;
  } else return undefined;
  const password = (text ?? "").replace(/\r?\n$/, "");
  if (password === "") throw new ByomError(`No password was found in ${where}: it is ${options.passwordStdin === true ? "empty" : "not set or empty"}.`, "Give the password there, or leave out --user for a server that takes mail without AUTH.");
  return password;
}
