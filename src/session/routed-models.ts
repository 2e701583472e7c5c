import type { ModelResolver } from "../llm/model-resolver.js";
import type { CooldownStore } from "../llm/router/cooldown-store.js";
import type { ModelRouter } from "../llm/router/model-router.js";
import type { RateLimiterSource } from "../llm/router/rate-limiter-source.js";
import type { UsageSink, UsageTotals } from "../llm/router/usage-record.js";
import { locateWorkspace } from "../byom/workspace.js";
import type { SecretStoreOpener } from "../byom/secret-store-access.js";

export interface RoutedModelsOptions {
  agent: string;
  project?: string;
  runId?: string;
  /** The workspace (`--workspace`, else PROSE_HOME, else .prose in the current folder). */
  workspace?: string;
  /** The standard variables for types the agent does not configure, PROSE_HOME, PROSE_TRACE_CONTENT. */
  environment: NodeJS.ProcessEnv;
  services?: ModelServices;
  /** Where usage records go instead of the workspace's usage log (a shared run store). */
  usage?: UsageSink & { flush(): Promise<void> };
  /** Fallbacks taken or skipped, circuits opened, usage records that could not be written. */
  warn(message: string): void;
}

/** What the caller may replace (tests): the secret store, the HTTP client, the current folder. */
export interface ModelServices {
  openSecretStore?: SecretStoreOpener;
  fetch?: typeof fetch;
  currentDirectory?: string;
}

export interface RoutedModels {
  resolver: ModelResolver;
  /** The run's own usage (every attempt), or undefined when it called no model. */
  totals(): UsageTotals | undefined;
  /** Resolves when every usage record of the run is on disk. */
  flush(): Promise<void>;
}

interface SharedLimits {
  limiters: RateLimiterSource;
  cooldowns: CooldownStore;
}

/** The limits and circuit breakers every run of this process shares, in memory: made on the first model call. */
let processShared: SharedLimits | undefined;
/** With PROSE_REDIS_URL: the limits and circuit breakers in Redis, per URL and agent (their keys name the agent). */
const redisShared = new Map<string, SharedLimits>();
/** One connection per Redis URL for the process. */
const redisConnections = new Map<string, import("../llm/shared-limits/redis-connection.js").RedisConnection>();

/**
 * The Redis of the shared limits: PROSE_REDIS_URL, else the workspace's `redis` (workspace.json),
 * with the password of PROSE_REDIS_PASSWORD when it names none; undefined when neither is set.
 */
async function redisUrlOf(environment: NodeJS.ProcessEnv, workspace: string): Promise<string | undefined> {
  const url = await givenRedisUrl(environment, workspace);
  if (url === undefined) return undefined;
  // Loaded only when a Redis is given: a run without one never loads the Redis code.
  const { withRedisPassword } = await import("../llm/shared-limits/redis-connection.js");
  return withRedisPassword(url, environment);
}

/** PROSE_REDIS_URL, else the workspace's `redis`, as given. */
async function givenRedisUrl(environment: NodeJS.ProcessEnv, workspace: string): Promise<string | undefined> {
  const fromEnvironment = environment.PROSE_REDIS_URL?.trim();
  if (fromEnvironment !== undefined && fromEnvironment !== "") return fromEnvironment;
  const [{ readWorkspaceSettings }, { ModelResolutionError }] = await Promise.all([import("../byom/config-files.js"), import("../llm/model-resolver.js")]);
  try {
    return (await readWorkspaceSettings(workspace)).redis;
  } catch (problem) {
    // A broken workspace.json fails the call with its English message (the file and the fix).
    throw new ModelResolutionError(problem instanceof Error ? problem.message : String(problem));
  }
}

/**
 * Where the limits are kept: in Redis when PROSE_REDIS_URL is set (every process and machine using
 * the agent shares them), else in this process's memory. Redis is loaded only in the first case.
 */
async function sharedLimits(agent: string, environment: NodeJS.ProcessEnv, workspace: string): Promise<SharedLimits> {
  const url = await redisUrlOf(environment, workspace);
  if (url === undefined || url === "") {
    const [{ LimiterRegistry }, { CooldownRegistry }] = await Promise.all([import("../llm/router/limiter-registry.js"), import("../llm/router/cooldown-registry.js")]);
    processShared ??= { limiters: new LimiterRegistry(), cooldowns: new CooldownRegistry() };
    return processShared;
  }
  const key = `${url}\u0000${agent}`;
  const existing = redisShared.get(key);
  if (existing !== undefined) return existing;
  const [{ RedisConnection }, { RedisLimiterSource }, { RedisCooldownStore }] = await Promise.all([
    import("../llm/shared-limits/redis-connection.js"),
    import("../llm/shared-limits/redis-limiter.js"),
    import("../llm/shared-limits/redis-cooldown-store.js"),
  ]);
  let connection = redisConnections.get(url);
  if (connection === undefined) {
    connection = new RedisConnection(url);
    redisConnections.set(url, connection);
  }
  const made = redisShared.get(key) ?? { limiters: new RedisLimiterSource(connection, { agent }), cooldowns: new RedisCooldownStore(connection, agent) };
  redisShared.set(key, made);
  return made;
}

/**
 * A run's models: the agent's BYOM providers (then the standard environment variables) behind
 * the router, which retries, falls back, keeps to the limits and appends a usage record per
 * attempt to the workspace. BYOM, the router and OpenTelemetry load on the first model call only.
 * The one place a router is made: `prose run`, `repl` and `test --record` all come here.
 */
export function routedModels(options: RoutedModelsOptions): RoutedModels {
  let loading: Promise<{ router: ModelRouter; log: UsageSink & { flush(): Promise<void> } }> | undefined;
  let router: ModelRouter | undefined;
  const load = async () => {
    const services = options.services ?? {};
    const workspace = locateWorkspace({ option: options.workspace, environment: options.environment, currentDirectory: services.currentDirectory ?? process.cwd() });
    const [{ ByomModelResolver }, { ModelRouter }, { UsageLog }, shared] = await Promise.all([
      import("../byom/byom-model-resolver.js"),
      import("../llm/router/model-router.js"),
      import("../llm/router/usage-log.js"),
      sharedLimits(options.agent, options.environment, workspace),
    ]);
    const planner = new ByomModelResolver({
      workspace,
      agent: options.agent,
      ...(options.project === undefined ? {} : { project: options.project }),
      environment: options.environment,
      ...(services.openSecretStore === undefined ? {} : { openSecretStore: services.openSecretStore }),
      ...(services.fetch === undefined ? {} : { adapterOptions: { fetch: services.fetch } }),
    });
    const log = options.usage ?? new UsageLog(workspace, options.warn);
    router = new ModelRouter({
      planner,
      labels: { agent: options.agent, ...(options.project === undefined ? {} : { project: options.project }), ...(options.runId === undefined ? {} : { runId: options.runId }) },
      warn: options.warn,
      usage: log,
      ...shared,
      recordContent: options.environment.PROSE_TRACE_CONTENT === "1",
    });
    return { router, log };
  };
  return {
    resolver: {
      resolve: async (choice) => {
        loading ??= load();
        return (await loading).router.resolve(choice);
      },
    },
    totals: () => router?.totals,
    flush: async () => {
      if (loading !== undefined) await (await loading).log.flush();
    },
  };
}
