import type { ContentPart, GenerateRequest, GenerateResult, LanguageModel, Message } from "../language-model.js";
import type { ModelChoice, ModelResolver } from "../model-resolver.js";
import { objectSchema } from "./field-spec.js";
import { AnswerCut, retryBound } from "./output-bound.js";

/** What an LLM procedure needs from the run: who answers, and where each attempt is counted. */
export interface ModelSession {
  resolver: ModelResolver;
  /** Every attempt — first, repaired — is counted. */
  record(result: GenerateResult): void;
  signal?: AbortSignal;
}

/** What a call's block says about how to call the model. */
export interface CallSettings {
  choice: ModelChoice;
  /** `the creativity is …`; left out when the script does not set it. */
  temperature?: number;
  /** `the instructions are …`, added to the procedure's own instructions. */
  instructions?: string;
  /** `the timeout is 30`: the time each attempt may take. */
  timeoutMilliseconds?: number;
  /** `the retries are 1`: retries of a failed attempt on each model. */
  maxRetries?: number;
  /** `the maximum length is 800 tokens`: the bound on each answer; the procedure's default when left out. */
  maxOutputTokens?: number;
}

/** `the creativity` when the call does not set it: the least creative answer (LANGUAGE.md §9). */
export const defaultTemperature = 0;

/** Checks one property of a structured answer: its normalized value, or an English problem. */
export type PropertyCheck = (raw: unknown) => { value: unknown } | { problem: string };

export interface StructuredProperty {
  schema: Record<string, unknown>;
  check: PropertyCheck;
}

export interface StructuredAnswer {
  values: Record<string, unknown>;
  /** Properties that still broke their format after the repair request, by name. */
  problems: Record<string, string>;
}

export async function resolveModel(session: ModelSession, settings: CallSettings): Promise<LanguageModel> {
  return session.resolver.resolve(settings.choice);
}

function systemText(procedureInstructions: string, settings: CallSettings): string {
  return settings.instructions ? `${procedureInstructions}\n\nInstructions from the script's author: ${settings.instructions}` : procedureInstructions;
}

function request(settings: CallSettings, system: string, messages: Message[], session: ModelSession, bound: number): GenerateRequest {
  const base: GenerateRequest = {
    system: systemText(system, settings),
    messages,
    signal: session.signal,
    // Always sent, so that a provider's own default never applies silently (§10.6).
    temperature: settings.temperature ?? defaultTemperature,
    maxOutputTokens: bound,
  };
  if (settings.timeoutMilliseconds !== undefined) base.timeoutMilliseconds = settings.timeoutMilliseconds;
  if (settings.maxRetries !== undefined) base.maxRetries = settings.maxRetries;
  return base;
}

/**
 * One answer within the output bound: the call's `the maximum length`, or the procedure's
 * default. An answer cut by it is asked again once with twice the bound; cut again, it is an
 * `AnswerCut` (never an answer run to the model's context limit).
 */
async function generateWithin(settings: CallSettings, defaultBound: number, ask: (bound: number) => Promise<GenerateResult>): Promise<GenerateResult> {
  const bound = settings.maxOutputTokens ?? defaultBound;
  const first = await ask(bound);
  if (first.finishReason !== "length") return first;
  const larger = retryBound(bound);
  if (larger === undefined) throw new AnswerCut(bound);
  const second = await ask(larger);
  if (second.finishReason !== "length") return second;
  throw new AnswerCut(larger);
}

/** A plain text answer (summaries, translations, free answers). */
export async function generateText(session: ModelSession, settings: CallSettings, system: string, content: ContentPart[], defaultBound: number): Promise<string> {
  const model = await resolveModel(session, settings);
  const result = await generateWithin(settings, defaultBound, async (bound) => {
    const answer = await model.generate(request(settings, system, [{ role: "user", content }], session, bound));
    session.record(answer);
    return answer;
  });
  return result.text.trim();
}

/** The model's answer was not valid JSON, even after one repair request. */
export class InvalidJsonAnswer extends Error {
  constructor(readonly problem: string) {
    super(`The model's answer was not valid JSON, even after a repair request (${problem}).`);
  }
}

/**
 * Any JSON value, asked for in the provider's JSON mode (`jsonMode`), not by a plea in the
 * prompt alone. An answer that does not parse gets one repair request naming the problem;
 * a second one that does not parse is an `InvalidJsonAnswer`.
 */
export async function generateJson(session: ModelSession, settings: CallSettings, system: string, content: ContentPart[], defaultBound: number): Promise<unknown> {
  const model = await resolveModel(session, settings);
  const messages: Message[] = [{ role: "user", content }];
  const ask = () =>
    generateWithin(settings, defaultBound, async (bound) => {
      const answer = await model.generate({ ...request(settings, system, messages, session, bound), jsonMode: true });
      session.record(answer);
      return answer;
    });
  const first = await ask();
  const parsed = parseJson(first);
  if ("value" in parsed) return parsed.value;
  messages.push({ role: "assistant", content: [{ type: "text", text: first.text || "(no answer)" }] });
  messages.push({ role: "user", content: [{ type: "text", text: `Your answer was not valid JSON (${parsed.problem}). Answer again with the complete answer as valid JSON only: no prose, no code fences.` }] });
  const second = parseJson(await ask());
  if ("value" in second) return second.value;
  throw new InvalidJsonAnswer(second.problem);
}

function parseJson(result: GenerateResult): { value: unknown } | { problem: string } {
  if (result.json !== undefined) return { value: result.json };
  try {
    return { value: JSON.parse(result.text.trim().replace(/^```(?:json)?\s*|\s*```$/g, "")) };
  } catch (problem) {
    return { problem: problem instanceof Error ? problem.message : String(problem) };
  }
}

/**
 * A JSON object through the provider's own structured output, checked here property by
 * property. What breaks its format gets one repair request naming the exact problems; what
 * still fails after it is reported back, so the procedure can take a default or ask a person.
 */
export async function generateStructured(
  session: ModelSession,
  settings: CallSettings,
  system: string,
  content: ContentPart[],
  name: string,
  properties: Record<string, StructuredProperty>,
  defaultBound: number,
): Promise<StructuredAnswer> {
  const model = await resolveModel(session, settings);
  const jsonSchema = objectSchema(Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, property.schema])));
  const messages: Message[] = [{ role: "user", content }];
  const ask = () =>
    generateWithin(settings, defaultBound, async (bound) => {
      const result = await model.generate({ ...request(settings, system, messages, session, bound), structuredOutput: { name, jsonSchema } });
      session.record(result);
      return result;
    });
  const first = await ask();
  const firstCheck = checkAnswer(first, properties);
  if (Object.keys(firstCheck.problems).length === 0) return firstCheck;
  messages.push({ role: "assistant", content: [{ type: "text", text: first.text || "(no answer)" }] });
  messages.push({ role: "user", content: [{ type: "text", text: repairText(firstCheck.problems) }] });
  const second = checkAnswer(await ask(), properties);
  // A property the repair broke but the first answer had right keeps the first answer's value.
  for (const [key, value] of Object.entries(firstCheck.values)) {
    if (second.problems[key] !== undefined && value !== null) {
      second.values[key] = value;
      delete second.problems[key];
    }
  }
  return second;
}

function checkAnswer(result: GenerateResult, properties: Record<string, StructuredProperty>): StructuredAnswer {
  const answer = parseObject(result);
  const values: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (answer === undefined) {
      problems[key] = "the answer was not a JSON object";
      values[key] = null;
      continue;
    }
    const checked = property.check(answer[key]);
    if ("problem" in checked) {
      problems[key] = checked.problem;
      values[key] = null;
    } else {
      values[key] = checked.value;
    }
  }
  return { values, problems };
}

function parseObject(result: GenerateResult): Record<string, unknown> | undefined {
  let json = result.json;
  if (json === undefined) {
    try {
      json = JSON.parse(result.text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
    } catch {
      return undefined;
    }
  }
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

function repairText(problems: Record<string, string>): string {
  const lines = [...new Set(Object.values(problems))].map((problem) => `- ${problem}`);
  return `Your answer broke these rules:\n${lines.join("\n")}\nAnswer again with the complete JSON object, fixing only these; use null where the source does not give a value.`;
}
