import { acquireFollowingLimits } from "./limits-while-waiting.js";
import type { Span } from "@opentelemetry/api";
import type { GenerateRequest, GenerateResult, LanguageModel, ProviderIdentity, ProviderType, StreamEvent } from "../language-model.js";
import { type ModelChoice, ModelResolutionError, type ModelResolver, ProviderUnavailableError } from "../model-resolver.js";
import { ProviderError, providerErrorFromFailure } from "../provider-error.js";
import { AttemptDeadlines } from "./attempt-deadlines.js";
import { endAttemptSpan, endCallSpan, type SpanLabels, startAttemptSpan, startCallSpan } from "./call-span.js";
import { type Clock, systemClock } from "./clock.js";
import { cooldownKey, type CooldownStore } from "./cooldown-store.js";
import { estimatedCost, priceOf } from "./prices.js";
import { estimateTokens } from "./provider-limiter.js";
import type { Permit, RateLimiterSource } from "./rate-limiter-source.js";
import { actionFor, defaultRetryPolicy, defaultTimeoutMilliseconds, type FailureAction, type RetryPolicy, retryDelay } from "./retry-policy.js";
import type { RoutePlanner, RouteTarget } from "./route-target.js";
import { addToTotals, emptyTotals, type UsageRecord, type UsageSink, type UsageTotals } from "./usage-record.js";

/** Who the calls are made for: written on every usage record and span. */
export interface RouterLabels {
  agent: string;
  project?: string;
  runId?: string;
}

export interface ModelRouterOptions {
  planner: RoutePlanner;
  labels: RouterLabels;
  /** Fallbacks taken or skipped, circuits opened: said to the person running the script. */
  warn(message: string): void;
  /** Where each attempt's usage record goes (the workspace's usage log). */
  usage?: UsageSink;
  retryPolicy?: Partial<RetryPolicy>;
  clock?: Clock;
  random?: () => number;
  /**
   * Where the limits and the circuit breakers are kept. Give every router of a process the same
   * ones (`LimiterRegistry`, `CooldownRegistry`: in memory), so that runs share each provider's
   * limits and cooldowns; a shared store's implementations share them across processes.
   */
  limiters: RateLimiterSource;
  cooldowns: CooldownStore;
  /** Record prompts and answers on the OpenTelemetry spans (off by default). */
  recordContent?: boolean;
}

/** What became of one model of the route. */
interface TargetOutcome {
  result?: GenerateResult;
  error?: ProviderError;
  action?: FailureAction;
}

/** One call's progress across its attempts. */
interface CallState {
  call: number;
  primary: RouteTarget;
  span: Span;
  attempts: number;
  last: UsageRecord | undefined;
  /** A stream has shown text: the next attempt's text starts with a `restart` event. */
  shownText: boolean;
}

/**
 * Every model call goes through here: one loop composing separate mechanisms (LiteLLM's router
 * is the model). For each model of the route — the call's own, its configuration's fallback
 * model, the agent's fallback chain — it waits for the provider configuration's limits, sends
 * the attempt, records its usage, and on a retryable failure waits (full-jitter backoff, at least
 * the `Retry-After`) and tries again, up to the retries allowed; then it moves to the next model.
 * A model whose circuit is open (it kept failing) is passed over while a later one remains, and
 * tried last. 400, 401, 403, 404 and 413 end the call at once; a fallback that cannot be used is
 * skipped with a warning. It implements `ModelResolver`, so LLM procedures do not know it exists.
 */
export class ModelRouter implements ModelResolver {
  /** The attempts of the calls made through this router (a run's own usage). */
  readonly totals: UsageTotals = emptyTotals();
  private calls = 0;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly limiters: RateLimiterSource;
  private readonly cooldowns: CooldownStore;
  private readonly spanLabels: SpanLabels;
  private readonly deadlines = new AttemptDeadlines();
  /** The last usage record's second, and its time up to that second (`isoTime`). */
  private isoSecond = Number.NaN;
  private isoPrefix = "";
  /** A permit's release is not waited for: a failed one is said to the person, never thrown. */
  private readonly releaseFailed = (problem: unknown) => {
    this.options.warn(`The limits could not be updated after a call: ${messageOf(problem)}`);
  };

  constructor(private readonly options: ModelRouterOptions) {
    this.policy = { ...defaultRetryPolicy, ...options.retryPolicy };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.limiters = options.limiters;
    this.cooldowns = options.cooldowns;
    this.spanLabels = { agent: options.labels.agent, project: options.labels.project ?? null, runId: options.labels.runId ?? null, recordContent: options.recordContent === true };
  }

  async resolve(choice: ModelChoice): Promise<LanguageModel> {
    const targets = await this.options.planner.plan(choice);
    if (targets.length === 0) throw new ModelResolutionError("No model can serve this call: add a provider with `prose byom add <type>`.");
    return new RoutedModel(this, targets);
  }

  /** Routes one call. Yields a stream's text (never its finish event) and returns the result. */
  async *route(targets: readonly RouteTarget[], request: GenerateRequest, streaming: boolean): AsyncGenerator<StreamEvent, GenerateResult, undefined> {
    this.calls += 1;
    const primary = targets[0];
    const state: CallState = { call: this.calls, primary, span: startCallSpan(this.spanLabels, primary, request), attempts: 0, last: undefined, shownText: false };
    const failures: ProviderError[] = [];
    /** Why models of the route could not be used (said once each: a provider's models share a reason). */
    const skipped: string[] = [];
    const queue = targets.map((target) => ({ target, lastResort: false }));
    let result: GenerateResult | undefined;
    let failure: string | undefined;
    try {
      for (let position = 0; position < queue.length; position++) {
        const { target, lastResort } = queue[position];
        const hasLater = () => position < queue.length - 1;
        if (!lastResort && hasLater() && (await this.cooldowns.coolingUntil(keyOf(target), this.clock.now())) !== undefined) {
          queue.push({ target, lastResort: true });
          continue;
        }
        let model: LanguageModel;
        // Opening reads the credential (from AWS SSM, say): it is bounded like an attempt.
        const opening = this.deadlines.start(request.signal, attemptTimeout(target, request));
        try {
          model = await target.open(position === 0, opening.signal);
        } catch (problem) {
          // A call's own model is skipped only when it is unavailable by configuration (disabled, refused by a policy) and a later one remains.
          if (target.role === "primary" && !(problem instanceof ProviderUnavailableError && hasLater())) throw problem;
          const reason = messageOf(problem);
          if (!(problem instanceof ProviderUnavailableError && skipped.includes(reason))) this.options.warn(`${target.role === "primary" ? "The" : "The fallback"} ${describe(target)} was skipped: ${reason}`);
          if (!skipped.includes(reason)) skipped.push(reason);
          continue;
        } finally {
          opening.end();
        }
        const outcome: TargetOutcome = yield* this.tryTarget(target, model, request, streaming, state, hasLater);
        if (outcome.result !== undefined) {
          result = outcome.result;
          return result;
        }
        const error = outcome.error!;
        if (outcome.action === "cancelled" || (outcome.action === "stop" && target.role === "primary")) throw error;
        failures.push(error);
        const next = queue[position + 1]?.target;
        if (outcome.action === "stop") this.options.warn(`The fallback ${describe(target)} was skipped: ${error.message}`);
        else if (next !== undefined) this.options.warn(`${error.message} Trying ${describe(next)} instead.`);
      }
      throw combinedFailure(failures, primary, skipped);
    } catch (problem) {
      failure = problem instanceof ProviderError ? problem.kind : problem instanceof Error ? problem.name : "error";
      throw problem;
    } finally {
      endCallSpan(state.span, this.spanLabels, state.last, state.attempts, result, failure);
    }
  }

  /** One model of the route: attempts, backoff and retries, until it answers or gives up. */
  private async *tryTarget(target: RouteTarget, model: LanguageModel, request: GenerateRequest, streaming: boolean, state: CallState, hasLater: () => boolean): AsyncGenerator<StreamEvent, TargetOutcome, undefined> {
    const key = keyOf(target);
    const maxRetries = request.maxRetries ?? target.limits.maxRetries ?? this.policy.maxRetries;
    const timeoutMilliseconds = attemptTimeout(target, request);
    for (let retry = 0; ; retry++) {
      const outcome = yield* this.attempt(target, model, request, timeoutMilliseconds, streaming, state);
      if (outcome.result !== undefined) {
        await this.cooldowns.recordSuccess(key);
        return outcome;
      }
      const error = outcome.error!;
      const action = actionFor(error);
      if (action !== "retry") return { error, action };
      const now = this.clock.now();
      const retryAfter = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
      const openedUntil = await this.cooldowns.recordFailure(key, now, retryAfter);
      if (openedUntil !== undefined && hasLater()) {
        this.options.warn(`${describe(target)} keeps failing: calls with fallbacks leave it alone for ${Math.ceil((openedUntil - now) / 1000)} s, then try it again.`);
      }
      if (retry >= maxRetries || (hasLater() && (await this.cooldowns.coolingUntil(key, now)) !== undefined)) return { error, action };
      const delay = retryDelay(this.policy, retry + 1, error, this.random);
      if (delay === undefined) {
        // The provider asks for a longer wait than a call gives it: other calls pass it over meanwhile.
        await this.cooldowns.open(key, now, retryAfter!);
        return { error, action };
      }
      try {
        await this.clock.sleep(delay, request.signal);
      } catch {
        return { error: cancelled(target), action: "cancelled" };
      }
    }
  }

  /**
   * One attempt: the limits' queue, the request, its usage record and span. The attempt's
   * timeout is the router's (AttemptDeadlines), behind the signal it gives the adapter, joined
   * with the caller's cancellation.
   */
  private async *attempt(
    target: RouteTarget,
    model: LanguageModel,
    request: GenerateRequest,
    timeoutMilliseconds: number,
    streaming: boolean,
    state: CallState,
  ): AsyncGenerator<StreamEvent, TargetOutcome, undefined> {
    const limiter = this.limiters.limiterFor(target.providerId, target.limits);
    const estimated = target.limits.tokensPerMinute === undefined ? 0 : estimateTokens(request);
    const queuedAt = this.clock.now();
    let permit: Permit | undefined;
    if (limiter !== undefined) {
      try {
        permit = await acquireFollowingLimits(limiter, this.limiters, target, estimated, request.signal);
      } catch (problem) {
        // A shared store that cannot keep the limits fails the call with its own message: never sent unlimited.
        if (problem instanceof ModelResolutionError && request.signal?.aborted !== true) throw problem;
        return { error: cancelled(target), action: "cancelled" };
      }
    }
    state.attempts += 1;
    const attempt = state.attempts;
    const startedAt = this.clock.now();
    const fallbackFrom = target === state.primary ? null : state.primary;
    const span = startAttemptSpan(state.span, target, attempt, fallbackFrom);
    let result: GenerateResult | undefined;
    let error: ProviderError | undefined;
    let unexpected = false;
    const deadline = this.deadlines.start(request.signal, timeoutMilliseconds);
    const attemptRequest: GenerateRequest = { ...request, signal: deadline.signal, timeoutMilliseconds: undefined };
    try {
      if (!streaming) {
        result = await model.generate(attemptRequest);
      } else {
        let restart = state.shownText;
        for await (const event of model.stream(attemptRequest)) {
          if (event.type === "finish") {
            result = event.result;
            continue;
          }
          if (event.type === "text-delta") {
            if (restart) {
              restart = false;
              yield { type: "restart" };
            }
            state.shownText = true;
          }
          yield event;
        }
        if (result === undefined) throw providerErrorFromFailure({ ...identityOf(target), secrets: [] }, { kind: "stream-cut" });
      }
    } catch (problem) {
      unexpected = !(problem instanceof ProviderError);
      if (unexpected) throw problem;
      error = deadline.timedOut() ? providerErrorFromFailure({ ...identityOf(target), secrets: [] }, { kind: "timeout", detail: `no complete answer within ${timeoutMilliseconds} ms` }) : (problem as ProviderError);
    } finally {
      deadline.end();
      // Also when the stream's reader stopped early, or something other than the provider failed.
      const inputTokens = result?.usage.inputTokens ?? null;
      const outputTokens = result?.usage.outputTokens ?? null;
      // Not waited for (the permit's contract).
      permit?.release(result === undefined ? undefined : (inputTokens ?? 0) + (outputTokens ?? 0)).catch(this.releaseFailed);
      const record: UsageRecord = {
        time: this.isoTime(startedAt),
        runId: this.spanLabels.runId,
        agent: this.spanLabels.agent,
        project: this.spanLabels.project,
        providerId: target.providerId,
        providerType: target.providerType,
        model: target.model,
        inputTokens,
        outputTokens,
        latencyMs: Math.max(0, Math.round(this.clock.now() - startedAt)),
        queuedMs: Math.max(0, Math.round(startedAt - queuedAt)),
        costUsd: estimatedCost(priceOf(target.model, target.providerType), inputTokens, outputTokens),
        // Neither result nor error: the stream's reader stopped reading.
        outcome: result !== undefined ? "ok" : (error?.kind ?? (unexpected ? "unknown" : "aborted")),
        status: error?.status ?? null,
        call: state.call,
        attempt,
        fallbackFrom: fallbackFrom === null ? null : { providerId: fallbackFrom.providerId, model: fallbackFrom.model },
      };
      state.last = record;
      addToTotals(this.totals, record);
      this.options.usage?.record(record);
      endAttemptSpan(span, record);
    }
    return result !== undefined ? { result } : { error };
  }

  /** `2026-11-23T10:00:00.123Z` for epoch milliseconds; the part up to the second is kept between calls. */
  private isoTime(milliseconds: number): string {
    const whole = Math.floor(milliseconds);
    const second = Math.floor(whole / 1000);
    if (second !== this.isoSecond) {
      this.isoSecond = second;
      this.isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    return `${this.isoPrefix}${String(whole - second * 1000).padStart(3, "0")}Z`;
  }
}

/** What a procedure resolves: the call's own model, whose calls the router routes. */
class RoutedModel implements LanguageModel {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly model: string;

  constructor(
    private readonly router: ModelRouter,
    private readonly targets: readonly RouteTarget[],
  ) {
    this.providerId = targets[0].providerId;
    this.providerType = targets[0].providerType;
    this.model = targets[0].model;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const step = await this.router.route(this.targets, request, false).next();
    if (step.done !== true) throw new Error("The router yielded text for a call that does not stream.");
    return step.value;
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamEvent> {
    const result = yield* this.router.route(this.targets, request, true);
    yield { type: "finish", result };
  }
}

/** One attempt's time on `target`: the call's own, else the provider configuration's, else the default. */
function attemptTimeout(target: RouteTarget, request: GenerateRequest): number {
  const timeoutSeconds = target.limits.timeoutSeconds;
  return request.timeoutMilliseconds ?? (timeoutSeconds === undefined ? defaultTimeoutMilliseconds : timeoutSeconds * 1000);
}

function keyOf(target: ProviderIdentity): string {
  return cooldownKey(target.providerId, target.model);
}

function identityOf(target: ProviderIdentity): ProviderIdentity {
  return { providerId: target.providerId, providerType: target.providerType, model: target.model };
}

function describe(target: RouteTarget): string {
  return `provider "${target.providerId}" (${target.providerType}), model "${target.model}"`;
}

function messageOf(problem: unknown): string {
  return problem instanceof Error ? problem.message : String(problem);
}

function cancelled(target: RouteTarget): ProviderError {
  return providerErrorFromFailure({ ...identityOf(target), secrets: [] }, { kind: "aborted" });
}

/** The call's own model's failure, with what each fallback answered. */
function combinedFailure(failures: readonly ProviderError[], primary: RouteTarget, skipped: readonly string[]): Error {
  const own = failures.find((error) => error.providerId === primary.providerId && error.model === primary.model) ?? failures[0];
  if (own === undefined) {
    const reasons = skipped.length === 0 ? "" : ` ${skipped.join(" ")}`;
    return new ModelResolutionError(`No model could serve this call: ${describe(primary)} and its fallbacks could not be used.${reasons}`);
  }
  const others = failures.filter((error) => error !== own);
  if (others.length === 0) return own;
  const message = `${own.message} Its fallbacks failed too: ${others.map((error) => error.message).join(" ")}`;
  return new ProviderError(
    {
      providerId: own.providerId,
      providerType: own.providerType,
      model: own.model,
      kind: own.kind,
      isRetryable: own.isRetryable,
      ...(own.status === undefined ? {} : { status: own.status }),
      ...(own.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: own.retryAfterSeconds }),
      ...(own.providerMessage === undefined ? {} : { providerMessage: own.providerMessage }),
      ...(own.providerCode === undefined ? {} : { providerCode: own.providerCode }),
    },
    message,
  );
}
