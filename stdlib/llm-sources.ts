import type { ProcedureCall } from "../src/runtime/procedure.js";
import type { ContentPart } from "../src/llm/language-model.js";
import { sourcesToContent } from "../src/llm/sources/sources-to-content.js";
import type { Source } from "../src/llm/sources/source.js";
import { SourceError } from "../src/llm/sources/source-error.js";
import { displayFact } from "../src/runtime/display.js";
import { dataAsJsonText, isData } from "../src/runtime/data-text.js";
import { argument } from "./arguments.js";
import type { Fact } from "../src/runtime/values.js";

/** The items of a list source, or the source itself. */
export function sourceItems(source: Fact): Fact[] {
  return source.value.kind === "list" ? source.value.items : [source];
}

function asSource(fact: Fact): Source {
  const value = fact.value;
  // A document is its content even when answers gave its fact attributes; other data is its JSON text.
  if (value.kind === "document") return { path: value.path, name: value.name, extension: value.extension, text: value.text };
  if (isData(fact)) return dataAsJsonText(fact);
  if (value.kind === "list") return value.items.map(asSource);
  return displayFact(fact);
}

/** A fact put into a prompt with `{…}`: a document (or a list holding one) as itself, anything else as it shows. */
function asPromptPiece(fact: Fact): Source {
  const value = fact.value;
  if (value.kind === "document") return asSource(fact);
  if (value.kind === "list" && value.items.some((item) => item.value.kind === "document")) return asSource(fact);
  if (isData(fact)) return dataAsJsonText(fact);
  return displayFact(fact);
}

/** Text pieces next to each other joined, so the prompt reads as one text around each document. */
function joinedPieces(pieces: Source[]): Source[] {
  const joined: Source[] = [];
  for (const piece of pieces) {
    const last = joined.length - 1;
    if (typeof piece === "string" && last >= 0 && typeof joined[last] === "string") joined[last] = `${joined[last] as string}${piece}`;
    else joined.push(piece);
  }
  return joined;
}

/**
 * A slot's source: a text written with `{…}` in the call keeps its pieces, so a document put
 * into it is given to the model as its content (text, pages or image), exactly as the document
 * alone would be (LANGUAGE.md §10.2); anything else is the argument itself.
 */
export function slotSource(call: ProcedureCall, slot: string): Source {
  const parts = call.textParts?.get(slot);
  if (parts) return joinedPieces(parts.map((part) => (typeof part === "string" ? part : asPromptPiece(part))));
  return asSource(argument(call, slot));
}

/** A slot's source as model content (see `slotSource` and `contentOf`). */
export function slotContent(call: ProcedureCall, slot: string, dpi: number): Promise<ContentPart[]> {
  return sourceContent(call, slotSource(call, slot), dpi);
}

/** How many characters of text content there are (to size a translation's bound). */
export function textLength(parts: readonly ContentPart[]): number {
  return parts.reduce((sum, part) => sum + (part.type === "text" ? part.text.length : 0), 0);
}

/**
 * A source (text, document, or a list of them) as the content of a model request: text as it
 * is, PDFs through their text layer (scans as page images at the block's dpi), images as images.
 */
export function contentOf(call: ProcedureCall, source: Fact, dpi: number): Promise<ContentPart[]> {
  return sourceContent(call, asSource(source), dpi);
}

async function sourceContent(call: ProcedureCall, source: Source, dpi: number): Promise<ContentPart[]> {
  try {
    const { parts, warnings } = await sourcesToContent(source, {
      dpi,
      readFile: (path) => call.context.readFile(path),
      modelAcceptsImages: true,
      signal: call.context.signal,
    });
    for (const warning of warnings) call.context.warn(warning);
    return parts;
  } catch (problem) {
    if (problem instanceof SourceError) return call.fail(problem.message);
    throw problem;
  }
}
