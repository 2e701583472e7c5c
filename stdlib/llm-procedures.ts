/**
 * What the LLM procedures do when they run. Loaded on their first call only, so a script that
 * calls no model never loads the provider layer (see stdlib/llm.ts for their table entries).
 */
import type { ProcedureCall } from "../src/runtime/procedure.js";
import { generateJson, generateStructured, generateText, InvalidJsonAnswer, type StructuredProperty } from "../src/llm/procedures/model-call.js";
import { AnswerCut, defaultBounds, translationBound } from "../src/llm/procedures/output-bound.js";
import { checkField, fieldJsonSchema } from "../src/llm/procedures/field-spec.js";
import { ModelResolutionError } from "../src/llm/model-resolver.js";
import { ProviderError } from "../src/llm/provider-error.js";
import { display } from "../src/runtime/display.js";
import { jsonToFact } from "../src/runtime/json-to-fact.js";
import { Fact, list, text } from "../src/runtime/values.js";
import { argument, blockNumber, textArgument } from "./arguments.js";
import { callSettings, modelSession } from "./llm-call-settings.js";
import { extractRecord, extractTable, fieldSpecs, fieldValue } from "./llm-extraction.js";
import { contentOf, slotContent, sourceItems, textLength } from "./llm-sources.js";
import { isData } from "../src/runtime/data-text.js";

/**
 * Model and provider failures become English runtime errors pointing at the call. An answer cut
 * by the output bound twice, or JSON that stays broken after a repair, becomes a `value`
 * question about the result that says so and how to fix it (§10.6).
 */
async function withModelErrors<T>(call: ProcedureCall, work: () => Promise<T>): Promise<T | Fact> {
  try {
    return await work();
  } catch (problem) {
    if (problem instanceof ModelResolutionError || problem instanceof ProviderError) call.fail(problem.message);
    const result = `the ${call.resultName ?? "answer"}`;
    if (problem instanceof AnswerCut) {
      const [answer] = await call.askValues([`${result} (the model's answer was cut at its output bound of ${problem.bound} tokens, twice; ${problem.fix} to let it write more)`]);
      return answer;
    }
    if (problem instanceof InvalidJsonAnswer) {
      const [answer] = await call.askValues([`${result} (the model's answer was not valid JSON, even after a repair request: ${problem.problem})`]);
      return answer;
    }
    throw problem;
  }
}

export const extractDataRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const fields = fieldSpecs(call, "fields");
      const settings = callSettings(call);
      const session = modelSession(call);
      const dpi = blockNumber(call, "dpi", 100);
      const source = argument(call, "source");
      const name = call.resultName ?? "data";
      // Data (a .json or .csv file's content) is one source, sent as its JSON text.
      if (source.value.kind !== "list" || isData(source)) {
        const content = await slotContent(call, "source", dpi);
        return extractRecord(call, session, settings, content, fields, (field) => `the ${name}'s ${field}`);
      }
      const records: Fact[] = [];
      for (const [index, item] of sourceItems(source).entries()) {
        const content = await contentOf(call, item, dpi);
        const label = item.value.kind === "document" ? item.value.name : `item ${index + 1}`;
        records.push(await extractRecord(call, session, settings, content, fields, (field) => `the ${field} of ${label}`));
      }
      return new Fact(list(records));
    });

export const extractTableRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const content = await slotContent(call, "source", blockNumber(call, "dpi", 100));
      const description = call.block.get("description");
      return extractTable(call, modelSession(call), callSettings(call), content, description ? display(description.value) : undefined);
    });

export const summarizeRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const length = call.block.get("length");
      const focus = call.block.get("focus");
      const system = [
        "Summarize the source the user gives, faithfully and without adding facts.",
        `Length: ${length ? display(length.value) : "one short paragraph"}.`,
        focus ? `Focus on: ${display(focus.value)}.` : "",
        "Answer with the summary only.",
      ].filter(Boolean).join(" ");
      const content = await slotContent(call, "source", blockNumber(call, "dpi", 100));
      return text(await generateText(modelSession(call), callSettings(call), system, content, defaultBounds.summarize));
    });

export const classifyRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const holder = call.block.get("categories");
      if (!holder || holder.value.kind !== "list" || holder.value.items.length === 0) {
        return call.fail("`classify` needs the categories to choose from.", 'fix: add a block line like `the categories are "invoice", "receipt" and "other"`.');
      }
      const categories = holder.value.items.map((item) => ({ name: display(item.value).trim(), description: item.attribute("description") }));
      const names = categories.map((category) => category.name);
      const property: StructuredProperty = {
        schema: { type: "string", enum: names, description: "the one category that fits best" },
        check: (raw) => {
          const chosen = names.find((name) => typeof raw === "string" && name.toLowerCase() === raw.trim().toLowerCase());
          return chosen ? { value: chosen } : { problem: `"category" must be exactly one of ${names.map((name) => `"${name}"`).join(", ")}, but the answer gave ${JSON.stringify(raw)}` };
        },
      };
      const system = [
        "Classify the source the user gives into exactly one of these categories:",
        ...categories.map((category) => `- "${category.name}"${category.description ? `: ${display(category.description.value)}` : ""}`),
        'Answer with a JSON object {"category": "<one of the categories>"}.',
      ].join("\n");
      const content = await slotContent(call, "source", blockNumber(call, "dpi", 100));
      const answer = await generateStructured(modelSession(call), callSettings(call), system, content, "classification", { category: property }, defaultBounds.classify);
      if (answer.problems.category === undefined) return text(answer.values.category as string);
      const [chosen] = await call.askValues([`the ${call.resultName ?? "category"} (one of ${names.join(", ")})`]);
      const match = names.find((name) => name.toLowerCase() === display(chosen.value).trim().toLowerCase());
      if (!match) return call.fail(`"${display(chosen.value)}" is not one of the categories: ${names.join(", ")}.`);
      return text(match);
    });

export const translateRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const language = textArgument(call, "language");
      const system = `Translate the source the user gives into ${language}. Keep its meaning, tone and formatting. Answer with the translation only.`;
      const content = await slotContent(call, "source", blockNumber(call, "dpi", 100));
      return text(await generateText(modelSession(call), callSettings(call), system, content, translationBound(textLength(content))));
    });

const responseFormats = ["text", "number", "date", "list of texts", "json"] as const;

export const askTheModelRun = (call: ProcedureCall) =>
    withModelErrors(call, async () => {
      const formatFact = call.block.get("response format");
      const format = (formatFact ? display(formatFact.value).trim().toLowerCase() : "text") as (typeof responseFormats)[number];
      if (!responseFormats.includes(format)) call.fail(`\`the response format\` "${format}" is not one I know.`, `fix: use one of ${responseFormats.map((known) => `"${known}"`).join(", ")}.`);
      const content = await slotContent(call, "prompt", blockNumber(call, "dpi", 100));
      const session = modelSession(call);
      const settings = callSettings(call);
      if (format === "text") return text(await generateText(session, settings, "Answer the user's request. Answer with the answer only.", content, defaultBounds.askText));
      if (format === "json") {
        // The provider's JSON mode (src/llm/README.md); the instructions still say so, as OpenAI's JSON mode requires.
        return jsonToFact(await generateJson(session, settings, "Answer the user's request in JSON: one JSON value (an object, or a list), no prose and no code fences.", content, defaultBounds.askJson));
      }
      const fieldFormat = format === "list of texts" ? "list" : format;
      const field = { name: "answer", format: fieldFormat, hasDefault: false } as const;
      const bound = format === "list of texts" ? defaultBounds.askText : defaultBounds.askShort;
      const answer = await generateStructured(session, settings, `Answer the user's request. Answer with a JSON object {"answer": …} where the answer is ${format === "list of texts" ? "a list of texts" : `a ${format}`}.`, content, "answer", {
        answer: { schema: fieldJsonSchema(field), check: (raw) => checkField(field, raw) },
      }, bound);
      const value = answer.values.answer;
      if (value === null || value === undefined) {
        const [asked] = await call.askValues([`the ${call.resultName ?? "answer"}`]);
        return asked;
      }
      return new Fact(fieldValue(fieldFormat, value));
    });

