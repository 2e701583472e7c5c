/**
 * What an adapter sent about reasoning for one request, worked out by the same per-provider rule
 * that builds the request's fields (openai/reasoning-models.ts, anthropic/thinking.ts,
 * google/thinking-config.ts, bedrock/reasoning-fields.ts). `prose byom verify` reports it per model.
 *
 * - `off`: reasoning or thinking turned off;
 * - `lowest`: off was asked but the model cannot turn it off: the lowest it allows was sent;
 * - `low`: the provider's low effort (or a small thinking budget) was sent;
 * - `default`: a reasoning model that accepts no lower setting: it reasons at its default;
 * - `none`: no reasoning field was sent: the model (or server) has no such control.
 */
export type ReasoningControl = "off" | "lowest" | "low" | "default" | "none";

export interface ReasoningSent {
  control: ReasoningControl;
  /** The field sent (`reasoning_effort "minimal"`, `thinking disabled`), or why none was. */
  detail: string;
}

/** The report's English line: `reasoning: cannot be turned off; lowest sent (reasoning_effort "minimal")`. */
export function reasoningLine(sent: ReasoningSent): string {
  switch (sent.control) {
    case "off":
      return `reasoning: off (${sent.detail})`;
    case "lowest":
      return `reasoning: cannot be turned off; lowest sent (${sent.detail})`;
    case "low":
      return `reasoning: low (${sent.detail})`;
    case "default":
      return `reasoning: cannot be lowered; the model reasons at its default (${sent.detail})`;
    case "none":
      return `reasoning: no control (${sent.detail})`;
  }
}
