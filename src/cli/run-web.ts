import type { SecretStore } from "../byom/secrets/secret-store.js";
import type { RunContext } from "../runtime/run-context.js";
import { WebRequestFailed } from "../runtime/web-request.js";
import type { CliServices } from "./cli-services.js";
import { UsageError } from "./usage-error.js";
import { NetPolicy, NetPolicyProblem } from "./net-policy.js";

export interface RunWebOptions {
  /** `--allow-net HOST` as given: without any, the run reaches no host. */
  allowNet: readonly string[];
  workspace: string;
  agent: string;
  environment: Readonly<Record<string, string | undefined>>;
  services: CliServices;
}

/**
 * What a run on the command line gets for web requests and named secrets: `request` (only with
 * --allow-net) and `hasSecret`. The agent's secret store is opened on first use, and a secret's
 * value is read only as a request that needs it goes: the runtime never holds one.
 */
export function runWeb(options: RunWebOptions): Pick<RunContext, "request" | "hasSecret"> {
  let policy: NetPolicy;
  try {
    policy = new NetPolicy(options.allowNet);
  } catch (problem) {
    if (problem instanceof NetPolicyProblem) throw new UsageError(problem.message, 'For example: --allow-net api.example.com, --allow-net 127.0.0.1:8080, or --allow-net "*" for any host.');
    throw problem;
  }
  // The store (and zod, which checks the workspace's files) load only when a script names a secret.
  let opened: Promise<SecretStore> | undefined;
  const store = () =>
    (opened ??= (async () => {
      const [{ readWorkspaceSettings }, { openSecretStoreFromFactory, secretStoreSettings }] = await Promise.all([import("../byom/config-files.js"), import("../byom/secret-store-access.js")]);
      const settings = await readWorkspaceSettings(options.workspace);
      return (options.services.openSecretStore ?? openSecretStoreFromFactory)(secretStoreSettings(options.workspace, settings.store), options.environment as Record<string, string | undefined>);
    })());
  const secrets = () => import("../byom/named-secrets.js");
  let names: Promise<string[]> | undefined;
  const hasSecret = async (name: string): Promise<boolean> => {
    try {
      const { namedSecrets, secretName } = await secrets();
      names ??= store().then((opened) => namedSecrets(opened, options.agent));
      return (await names).includes(secretName(name));
    } catch (problem) {
      names = undefined;
      throw storeFailure(problem, name, options.agent);
    }
  };
  const readSecret = async (name: string, signal?: AbortSignal): Promise<string> => {
    let value: string | undefined;
    try {
      const { readNamedSecret } = await secrets();
      value = await readNamedSecret(await store(), options.agent, name, signal === undefined ? {} : { signal });
    } catch (problem) {
      throw storeFailure(problem, name, options.agent);
    }
    if (value === undefined) throw new WebRequestFailed(`The agent "${options.agent}" has no secret named "${name}".`, `fix: add it with \`prose secret add "${name}" --stdin\`, or check the name with \`prose secret list\`.`);
    return value;
  };
  if (options.allowNet.length === 0) return { hasSecret };
  // Loaded with the first request: a script that sends none starts as fast as before.
  let access: Promise<NonNullable<RunContext["request"]>> | undefined;
  const request: NonNullable<RunContext["request"]> = async (asked, signal) => {
    access ??= import("./web-access.js").then(({ webAccess }) => webAccess({ policy, readSecret, hasSecret, environment: options.environment, ...(options.services.fetch === undefined ? {} : { fetch: options.services.fetch }) }));
    return (await access)(asked, signal);
  };
  return { hasSecret, request };
}

/** A store or name failure as an English error that names the secret (never its value). */
function storeFailure(problem: unknown, name: string, agent: string): WebRequestFailed {
  const message = problem instanceof Error ? problem.message : String(problem);
  return new WebRequestFailed(`I can't read the secret "${name}" of the agent "${agent}": ${message}`, "fix: check the secret store with `prose secret list`.");
}
