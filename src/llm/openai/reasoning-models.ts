/** How an OpenAI model reasons, and the lowest `reasoning_effort` it accepts. */
export interface ReasoningSettings {
  /** Reasoning models accept no temperature other than the default. */
  isReasoningModel: boolean;
  /** The lowest effort to send; undefined sends none. */
  lowestEffort?: "none" | "minimal" | "low";
  /** Set when the model cannot lower its reasoning. */
  warning?: string;
}

/** Azure deployment names follow the model id (BYOM requires it), so the same rules apply to them. */
export function reasoningSettings(model: string): ReasoningSettings {
  const name = model.toLowerCase();
  if (/^gpt-5(\.\d+)?-chat/.test(name)) return { isReasoningModel: false };
  if (/^(o\d|gpt-5)[\w.-]*-pro\b/.test(name)) {
    return { isReasoningModel: true, warning: `Model "${model}" cannot lower its reasoning effort; it reasons at its default effort.` };
  }
  if (/^o1-(mini|preview)/.test(name)) {
    return { isReasoningModel: true, warning: `Model "${model}" accepts no reasoning effort; it reasons at its default effort.` };
  }
  if (/^o\d/.test(name)) return { isReasoningModel: true, lowestEffort: "low" };
  if (/^gpt-5\.\d/.test(name)) return { isReasoningModel: true, lowestEffort: "none" };
  if (/^gpt-5/.test(name)) return { isReasoningModel: true, lowestEffort: "minimal" };
  return { isReasoningModel: false };
}
