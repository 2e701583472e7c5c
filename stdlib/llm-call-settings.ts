import type { ProcedureCall } from "../src/runtime/procedure.js";
import type { ProviderType } from "../src/llm/language-model.js";
import { providerDescriptor, typesInTryOrder } from "../src/llm/provider-registry.js";
import type { ModelChoice } from "../src/llm/model-resolver.js";
import type { CallSettings, ModelSession } from "../src/llm/procedures/model-call.js";
import { asNumber } from "../src/runtime/arithmetic.js";
import { largestMaximumLength } from "../src/llm/procedures/output-bound.js";
import { display } from "../src/runtime/display.js";

/** The block line that picks each provider type (`the openai model is "…"`), from the provider descriptors. */
const typeOfLine: Record<string, ProviderType> = Object.fromEntries(
  typesInTryOrder.flatMap((type) => {
    const line = providerDescriptor(type).blockLine?.line;
    return line === undefined ? [] : [[line, type]];
  }),
);

/** The block lines every LLM procedure accepts (LANGUAGE.md §9). */
export const modelBlockLines = [...Object.keys(typeOfLine), "model provider", "model", "creativity", "instructions", "timeout", "retries", "maximum length"];

/** Reads the model choice, creativity and instructions from a call's block. */
export function callSettings(call: ProcedureCall): CallSettings {
  const choice: ModelChoice = {};
  const typed = Object.keys(typeOfLine).filter((line) => call.block.has(line));
  if (typed.length > 1) call.fail(`This call names ${typed.map((line) => `\`the ${line}\``).join(" and ")}; a call uses one model.`, "fix: keep one model line.");
  if (typed.length === 1) {
    choice.providerType = typeOfLine[typed[0]];
    choice.model = display(call.block.get(typed[0])!.value).trim();
  }
  const provider = call.block.get("model provider");
  if (provider) choice.providerId = display(provider.value).trim();
  const model = call.block.get("model");
  if (model) choice.model = display(model.value).trim();
  const settings: CallSettings = { choice };
  const creativity = call.block.get("creativity");
  if (creativity) {
    const found = asNumber(creativity.value);
    const value = found?.unit === "%" ? found.value.toNumber() : found?.value.toNumber();
    if (value === undefined || value < 0 || value > 2) call.fail(`\`the creativity\` must be a number from 0 to 2, but it is "${display(creativity.value)}".`, "fix: 0 gives the most predictable answers; 0.7 more varied ones.");
    settings.temperature = value;
  }
  const instructions = call.block.get("instructions");
  if (instructions) settings.instructions = display(instructions.value);
  const timeout = call.block.get("timeout");
  if (timeout) settings.timeoutMilliseconds = timeoutMilliseconds(call, display(timeout.value));
  const retries = call.block.get("retries");
  if (retries) {
    // Written with "are", the value may be a list of one number.
    const written = display(retries.value).trim();
    const value = /^\d+$/.test(written) ? Number(written) : undefined;
    if (value === undefined || value > 10) {
      call.fail(`\`the retries\` must be a whole number from 0 to 10, but it is "${display(retries.value)}".`, "fix: `the retries are 0` sends one attempt to each model; the default is 2.");
    }
    settings.maxRetries = value;
  }
  const maximumLength = call.block.get("maximum length");
  if (maximumLength) settings.maxOutputTokens = maximumTokens(call, display(maximumLength.value));
  return settings;
}

/** `the maximum length is 800 tokens` (or `800`, or the text "800 tokens"): the bound on each answer's output. */
function maximumTokens(call: ProcedureCall, written: string): number {
  const match = /^(\d[\d,]*)\s*(tokens?)?$/i.exec(written.trim());
  const tokens = match === null ? Number.NaN : Number(match[1].replace(/,/g, ""));
  if (!Number.isInteger(tokens) || tokens < 1 || tokens > largestMaximumLength) {
    call.fail(
      `\`the maximum length\` must be a whole number of tokens from 1 to ${largestMaximumLength.toLocaleString("en-US")}, but it is "${written}".`,
      "fix: write it as `the maximum length is 800 tokens`.",
    );
  }
  return tokens;
}

/** `the timeout is 30` (seconds), or a text such as "30 seconds" or "2 minutes": the time each attempt may take. */
function timeoutMilliseconds(call: ProcedureCall, written: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?)?$/i.exec(written.trim());
  const seconds = match === null ? Number.NaN : Number(match[1]) * (match[2]?.toLowerCase().startsWith("m") ? 60 : 1);
  if (!(seconds > 0) || seconds > 3600) {
    call.fail(`\`the timeout\` must be a number of seconds above 0 (at most an hour), but it is "${written}".`, "fix: write it as `the timeout is 30` (seconds), or \"2 minutes\".");
  }
  return Math.round(seconds * 1000);
}

/** The run's model resolver and usage counter, or an English error when the run has none. */
export function modelSession(call: ProcedureCall): ModelSession {
  const resolver = call.context.models;
  if (!resolver) call.fail("This run cannot call a model.", "fix: run the script with `prose run`, which finds models from BYOM or the environment.");
  return { resolver, record: (result) => call.context.recordModelCall?.(result), signal: call.context.signal };
}
