import type { Command } from "commander";
import { ByomError } from "../../byom/byom-error.js";
import { readWorkspaceSettings } from "../../byom/config-files.js";
import type { StoreSettings } from "../../byom/config-schema.js";
import { describeStore, openSecretStoreFromFactory, secretStoreSettings } from "../../byom/secret-store-access.js";
import { defaultSsmPrefix } from "../../byom/secrets/ssm-parameter-names.js";
import { switchSecretStore } from "../../byom/switch-secret-store.js";
import { type ByomCommandContext, type CommonOptions, runByomCommand, withCommonOptions } from "./byom-session.js";

type StoreOptions = CommonOptions & { prefix?: string; region?: string; endpoint?: string; kmsKeyId?: string };

/**
 * `prose byom store [local | aws-ssm [--prefix P] [--region R] [--endpoint URL] [--kms-key-id K]]`:
 * where the workspace keeps its secrets. The prefix defaults to /prose, the region to AWS_REGION
 * (then AWS_DEFAULT_REGION).
 */
export function registerStoreCommand(byom: Command, context: ByomCommandContext): void {
  const command = byom
    .command("store")
    .description("Show or change where the workspace keeps its secrets: local (encrypted file) or aws-ssm.")
    .argument("[kind]", "local or aws-ssm; without it, shows the current store")
    .option("--prefix <prefix>", `aws-ssm: the parameter prefix (default ${defaultSsmPrefix})`)
    .option("--region <region>", "aws-ssm: the AWS region (default AWS_REGION, then AWS_DEFAULT_REGION)")
    .option("--endpoint <url>", "aws-ssm: another SSM endpoint")
    .option("--kms-key-id <key>", "aws-ssm: the KMS key that encrypts the parameters (default: the account's)");
  withCommonOptions(command).action(async (kind: string | undefined, options: StoreOptions) => {
    await runByomCommand(context, options, async (session) => {
      if (kind === undefined) {
        const { store } = await readWorkspaceSettings(session.workspace);
        session.print({ workspace: session.workspace, store }, [`Secrets are kept in the ${describeStore(store)} store.`]);
        return 0;
      }
      const wanted = settingsOf(kind, options, context.environment);
      const open = async (settings: StoreSettings) => (context.services.openSecretStore ?? openSecretStoreFromFactory)(secretStoreSettings(session.workspace, settings), context.environment);
      const result = await switchSecretStore(session.workspace, wanted, open);
      const moved = result.moved === 0 ? "" : ` Moved ${result.moved} secret${result.moved === 1 ? "" : "s"} from the ${describeStore(result.previous)} store.`;
      session.print({ workspace: session.workspace, store: result.current, previousStore: result.previous, moved: result.moved }, [`Secrets are now kept in the ${describeStore(result.current)} store.${moved}`]);
      return 0;
    });
  });
}

function settingsOf(kind: string, options: StoreOptions, environment: Readonly<Record<string, string | undefined>>): StoreSettings {
  const ssmOptions = { prefix: options.prefix, region: options.region, endpoint: options.endpoint, kmsKeyId: options.kmsKeyId };
  if (kind === "local") {
    if (Object.values(ssmOptions).some((value) => value !== undefined)) throw new ByomError("The local store takes no --prefix, --region, --endpoint or --kms-key-id.", "Run `prose byom store local` alone.");
    return { kind: "local" };
  }
  if (kind !== "aws-ssm") throw new ByomError(`"${kind}" is not a secret store.`, "Use `prose byom store local` or `prose byom store aws-ssm --prefix /prose --region REGION`.");
  const prefix = options.prefix ?? defaultSsmPrefix;
  const region = options.region ?? nonBlank(environment.AWS_REGION) ?? nonBlank(environment.AWS_DEFAULT_REGION);
  if (region === undefined) {
    throw new ByomError("The aws-ssm store needs a region: give --region, or set AWS_REGION.", "For example `prose byom store aws-ssm --region eu-west-1` (the prefix defaults to /prose).");
  }
  if (!prefix.startsWith("/")) throw new ByomError(`The SSM prefix must start with "/", like /prose.`, `Write --prefix /${prefix.replace(/^\/*/, "")}.`);
  return {
    kind: "aws-ssm",
    prefix: prefix.replace(/\/+$/, "") || "/",
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.kmsKeyId === undefined ? {} : { kmsKeyId: options.kmsKeyId }),
  };
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
