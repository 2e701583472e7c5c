import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { updateAgentConfig } from "../../byom/config-files.js";
import type { ProviderConfig } from "../../byom/config-schema.js";
import { type AddedRole, addModel, refuseKnownModel, removeModel } from "../../byom/provider-models.js";
import { unknownProviderMessage } from "../../byom/select-provider.js";
import { verifyModel } from "../../byom/verify-provider.js";
import { type ByomCommandContext, type ByomSession, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";
import { refuseSecretLikeValues } from "./secret-arguments.js";

type AddOptions = CommonOptions & { primary?: boolean; fallback?: boolean };
type RemoveOptions = CommonOptions & { primary?: string };

/**
 * `prose byom model add <id> <model> [--primary|--fallback]`: one minimal call to the model with
 * the provider's credential first (as `verify` makes); the model is added only when it answers.
 * `prose byom model remove <id> <model> [--primary NEW]`: removing the primary names its successor.
 */
export function registerModelCommands(byom: Command, context: ByomCommandContext): void {
  const model = byom.command("model").description("Add a model to a provider, or remove one.");
  withCommonOptions(
    model
      .command("add")
      .description("Add a model to a provider, after one minimal test call to it.")
      .argument("<id>", "the provider id")
      .argument("<model>", "the model")
      .option("--primary", "make it the primary model (the old primary stays, as an available model)")
      .option("--fallback", "make it the fallback model (the old fallback model stays, as an available model)"),
  ).action(async (id: string, modelId: string, options: AddOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id, modelId]);
      if (options.primary === true && options.fallback === true) throw new ByomError("--primary and --fallback cannot both be given: a model has one role.", "Give one of them, or neither (the model is then available to calls that name it).");
      const role: AddedRole = options.primary === true ? "primary" : options.fallback === true ? "fallback" : "available";
      const { provider } = await session.provider(id);
      refuseKnownModel(provider, modelId, session.agent);
      // The test call is made outside the lock: it may take seconds, and other commands need not wait.
      const secret = provider.credentialVersion === null ? undefined : await (await session.secretStore()).get({ agent: session.agent, providerId: id, version: provider.credentialVersion });
      const verification = await verifyModel(provider, modelId, secret, context.services.fetch === undefined ? {} : { fetch: context.services.fetch });
      if (!verification.ok) {
        throw new ByomError(
          `The model "${modelId}" of provider "${id}" failed its test call: ${sentence(verification.message)} Nothing was changed.`,
          `Check the model's name (\`prose byom show ${id}${session.agentOption}\` lists the provider's models), then run the command again.`,
          1,
        );
      }
      const verifiedAt = (context.services.now?.() ?? new Date()).toISOString();
      const change = await changeProvider(session, "byom model add", id, (current) => addModel(current, modelId, role, verifiedAt, session.agent), verifiedAt);
      session.warn(verification.warnings);
      const moved = change.moved === undefined ? "" : ` ${change.moved.model} was the ${change.moved.from} model and is now available.`;
      const as = role === "available" ? "" : ` as its ${role} model`;
      session.print({ agent: session.agent, id, model: modelId, role, verification, models: change.models, moved: change.moved ?? null }, [`Added ${modelId} to ${id}${as}, verified with one test call.${moved}`]);
      return 0;
    });
  });
  withCommonOptions(
    model
      .command("remove")
      .description("Remove a model from a provider.")
      .argument("<id>", "the provider id")
      .argument("<model>", "the model")
      .option("--primary <model>", "when removing the primary model: the provider's model that replaces it"),
  ).action(async (id: string, modelId: string, options: RemoveOptions) => {
    await runByomCommand(context, options, async (session) => {
      refuseSecretLikeValues(options, [id, modelId]);
      const now = (context.services.now?.() ?? new Date()).toISOString();
      const change = await changeProvider(session, "byom model remove", id, (current) => removeModel(current, modelId, options.primary, session.agent), now);
      const moved = change.moved === undefined ? "" : ` ${change.moved.model} is now its primary model.`;
      session.print({ agent: session.agent, id, removed: modelId, models: change.models, primary: change.models.find((entry) => entry.role === "primary")?.id ?? null }, [
        `Removed ${modelId} from ${id}.${moved}`,
      ]);
      return 0;
    });
  });
}

/** Re-reads the provider under the workspace lock and changes it; the file is written only when `change` does not throw. */
async function changeProvider<Result>(session: ByomSession, command: string, id: string, change: (provider: ProviderConfig) => Result, now: string): Promise<Result> {
  return session.change(command, () =>
    updateAgentConfig(session.workspace, session.agent, (config) => {
      const provider = config.providers.find((candidate) => candidate.id === id);
      if (provider === undefined) throw new ByomError(unknownProviderMessage(id, config));
      const result = change(provider);
      provider.updatedAt = now;
      return result;
    }),
  );
}

/** The text ending as a sentence: with its own final stop (also inside a closing quote), else a period. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]["”)]?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
