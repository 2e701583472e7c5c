import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { finishRotation, rotateCredential } from "../../byom/rotate-credential.js";
import { credentialValue, readSecret, secretSourceOf } from "../../byom/secret-input.js";
import { readProcessStandardInput } from "../cli-services.js";
import { type ByomCommandContext, type ByomSession, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretArguments, withSecretOptions } from "./secret-arguments.js";

type RotateOptions = CommonOptions & { apiKeyStdin?: boolean; apiKeyEnv?: string; credentialsFile?: string; finish?: boolean };

/**
 * `prose byom rotate <id>`: a new secret, verified, stored as a new version and switched to
 * atomically; the old one deleted. When the old one cannot be deleted, the rotation is reported
 * done with the version left (exit 1), and `prose byom rotate <id> --finish` deletes it later.
 */
export function registerRotateCommand(byom: Command, context: ByomCommandContext): void {
  const command = byom
    .command("rotate")
    .description("Replace a provider's secret without stopping running scripts.")
    .argument("<id>", "the provider id")
    .option("--finish", "only delete the versions older than the active one (after a rotation could not)")
    .allowExcessArguments();
  withSecretOptions(withCommonOptions(command)).action(async (id: string, options: RotateOptions, self: Command) => {
    const extra = self.args.slice(1);
    await runByomCommand(context, options, async (session) => {
      refuseSecretArguments(options, extra);
      const source = secretSourceOf(options);
      const finishCommand = `prose byom rotate ${id}${session.agentOption} --finish`;
      if (options.finish === true) {
        if (source !== undefined) throw new ByomError("`prose byom rotate --finish` takes no secret: it only deletes the older versions.", `Run \`${finishCommand}\` alone.`);
        const finished = await finishRotation({ workspace: session.workspace, agent: session.agent, store: await session.secretStore(), change: (name, work) => session.change(name, work) }, id);
        const active = finished.version === null ? "it has no active secret" : `version ${finished.version} is active`;
        const deleted = finished.deletedVersions.length === 0 ? (finished.leftover === undefined ? "no older version was stored" : "") : `deleted ${versionList(finished.deletedVersions)}`;
        const result = { id, agent: session.agent, version: finished.version, deletedVersions: finished.deletedVersions };
        if (finished.leftover === undefined) {
          session.print(result, [`Finished the rotation of ${id}: ${active}; ${deleted}.`]);
          return 0;
        }
        const message = `${finished.version === null ? `${id} has no active secret` : `version ${finished.version} of ${id} is active`}; could not delete ${versionList(finished.leftover.versions)} (${finished.leftover.reason}); run \`${finishCommand}\` to finish`;
        return partial(session, result, finished.leftover.versions, message, finishCommand, deleted === "" ? [] : [`Finished part of the rotation of ${id}: ${active}; ${deleted}.`]);
      }
      if (source === undefined) throw new ByomError("`prose byom rotate` needs the new secret.", `Give it with --api-key-stdin, --api-key-env VAR or --credentials-file F (or --finish to delete the versions a rotation left).`);
      const { provider } = await session.provider(id);
      const input = { readStandardInput: context.services.readStandardInput ?? readProcessStandardInput, environment: context.environment, currentDirectory: session.currentDirectory };
      const secret = credentialValue(provider.type, await readSecret(source, input), source);
      const rotation = await rotateCredential(
        {
          workspace: session.workspace,
          agent: session.agent,
          store: await session.secretStore(),
          change: (name, work) => session.change(name, work),
          ...(context.services.fetch === undefined ? {} : { adapterOptions: { fetch: context.services.fetch } }),
          ...(context.services.now === undefined ? {} : { now: context.services.now }),
        },
        id,
        secret,
      );
      const from = rotation.previousVersion === null ? "no secret" : `version ${rotation.previousVersion}`;
      const deleted = rotation.deletedVersions.length === 0 ? "" : `; deleted ${versionList(rotation.deletedVersions)}`;
      const result = { id, agent: session.agent, previousVersion: rotation.previousVersion, version: rotation.version, verifiedModel: rotation.verification.model, deletedVersions: rotation.deletedVersions };
      const line = `Rotated ${id}: ${from} → version ${rotation.version}, verified with model ${rotation.verification.model}${deleted}.`;
      if (rotation.leftover === undefined) {
        session.print(result, [line]);
        return 0;
      }
      const message = `rotated ${id} to version ${rotation.version}; could not delete ${versionList(rotation.leftover.versions)} (${rotation.leftover.reason}); run \`${finishCommand}\` to finish`;
      return partial(session, result, rotation.leftover.versions, message, finishCommand, [line]);
    });
  });
}

/** A rotation done but for old versions left in the store: the result, then the error line naming the finishing command; exit 1. */
function partial(session: ByomSession, result: Record<string, unknown>, leftoverVersions: number[], message: string, finishCommand: string, lines: string[]): number {
  session.print({ ...result, leftoverVersions, error: { message, fix: finishCommand } }, lines);
  session.writer.err(`error: ${message}.`);
  return 1;
}

function versionList(versions: number[]): string {
  return `version${versions.length === 1 ? "" : "s"} ${versions.join(", ")}`;
}
