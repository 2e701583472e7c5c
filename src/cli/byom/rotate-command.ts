import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { rotateCredential } from "../../byom/rotate-credential.js";
import { credentialValue, readSecret, secretSourceOf } from "../../byom/secret-input.js";
import { readProcessStandardInput } from "../cli-services.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretArguments, withSecretOptions } from "./secret-arguments.js";

type RotateOptions = CommonOptions & { apiKeyStdin?: boolean; apiKeyEnv?: string; credentialsFile?: string };

/** `prose byom rotate <id>`: a new secret, verified, stored as a new version and switched to atomically; the old one deleted. */
export function registerRotateCommand(byom: Command, context: ByomCommandContext): void {
  const command = byom.command("rotate").description("Replace a provider's secret without stopping running scripts.").argument("<id>", "the provider id").allowExcessArguments();
  withSecretOptions(withCommonOptions(command)).action(async (id: string, options: RotateOptions, self: Command) => {
    const extra = self.args.slice(1);
    await runByomCommand(context, options, async (session) => {
      refuseSecretArguments(options, extra);
      const source = secretSourceOf(options);
      if (source === undefined) throw new ByomError("`prose byom rotate` needs the new secret.", "Give it with --api-key-stdin, --api-key-env VAR or --credentials-file F.");
      const { provider } = await session.provider(id);
      const input = { readStandardInput: context.services.readStandardInput ?? readProcessStandardInput, environment: context.environment, currentDirectory: session.currentDirectory };
      const secret = credentialValue(provider.type, await readSecret(source, input), source);
      const rotation = await rotateCredential(
        {
          workspace: session.workspace,
          agent: session.agent,
          store: await session.secretStore(),
          ...(context.services.fetch === undefined ? {} : { adapterOptions: { fetch: context.services.fetch } }),
          ...(context.services.now === undefined ? {} : { now: context.services.now }),
        },
        id,
        secret,
      );
      const from = rotation.previousVersion === null ? "no secret" : `version ${rotation.previousVersion}`;
      const deleted = rotation.deletedVersions.length === 0 ? "" : `; deleted version${rotation.deletedVersions.length === 1 ? "" : "s"} ${rotation.deletedVersions.join(", ")}`;
      session.print(
        { id, agent: session.agent, previousVersion: rotation.previousVersion, version: rotation.version, verifiedModel: rotation.verification.model, deletedVersions: rotation.deletedVersions },
        [`Rotated ${id}: ${from} → version ${rotation.version}, verified with model ${rotation.verification.model}${deleted}.`],
      );
      return 0;
    });
  });
}
