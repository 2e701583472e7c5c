import type { LanguageModel, ProviderIdentity } from "../language-model.js";
import type { ModelChoice } from "../model-resolver.js";
import type { RateLimits } from "./rate-limiter-source.js";

/** Why a model is in a call's route: the call's own, its configuration's fallback model, or the agent's fallback chain. */
export type TargetRole = "primary" | "fallback-model" | "fallback-chain";

/** A provider configuration's limits on its calls (BYOM `limits`); each is optional. */
export interface CallLimits extends RateLimits {
  /** Retries of a failed attempt on this model (the router's default when absent). */
  maxRetries?: number;
  /** Seconds one attempt may take (the router's default when absent). */
  timeoutSeconds?: number;
}

/** One model a call may be sent to. */
export interface RouteTarget extends ProviderIdentity {
  role: TargetRole;
  limits: CallLimits;
  /**
   * The adapter to call now, with the credential active now. Fails (a `ModelResolutionError`
   * naming the fix) when the target cannot be used: no credential, disabled, invalid settings.
   * `justPlanned`: the route was planned a moment ago for this call, so the configuration read
   * for the plan is current enough (a planner need not look at it again). `signal` aborts when the
   * call is cancelled or its attempt's time runs out: reading the credential stops there.
   */
  open(justPlanned?: boolean, signal?: AbortSignal): Promise<LanguageModel>;
  /** The configuration's limits as they are now, read again while a call waits for them (limits-while-waiting.ts). */
  currentLimits?(): Promise<CallLimits>;
}

/** Finds the models a call may be sent to, in order: the call's own model first, then its fallbacks. */
export interface RoutePlanner {
  /** Fails with a `ModelResolutionError` when the call's own model cannot be found. */
  plan(choice: ModelChoice): Promise<RouteTarget[]>;
}

export function targetOfModel(model: LanguageModel, role: TargetRole = "primary", limits: CallLimits = {}): RouteTarget {
  return { providerId: model.providerId, providerType: model.providerType, model: model.model, role, limits, open: async () => model };
}
