import type { ProcedureCall } from "../src/runtime/procedure.js";
import type { ContentPart } from "../src/llm/language-model.js";
import { sourcesToContent } from "../src/llm/sources/sources-to-content.js";
import type { Source } from "../src/llm/sources/source.js";
import { SourceError } from "../src/llm/sources/source-error.js";
import { displayFact } from "../src/runtime/display.js";
import { dataAsJsonText, isData } from "../src/runtime/data-text.js";
import type { Fact } from "../src/runtime/values.js";

/** The items of a list source, or the source itself. */
export function sourceItems(source: Fact): Fact[] {
  return source.value.kind === "list" ? source.value.items : [source];
}

function asSource(fact: Fact): Source {
  if (isData(fact)) return dataAsJsonText(fact);
  const value = fact.value;
  if (value.kind === "document") return { path: value.path, name: value.name, extension: value.extension, text: value.text };
  if (value.kind === "list") return value.items.map(asSource);
  return displayFact(fact);
}

/**
 * A source (text, document, or a list of them) as the content of a model request: text as it
 * is, PDFs through their text layer (scans as page images at the block's dpi), images as images.
 */
export async function contentOf(call: ProcedureCall, source: Fact, dpi: number): Promise<ContentPart[]> {
  try {
    const { parts, warnings } = await sourcesToContent(asSource(source), {
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
