import type { ProcedureCall } from "../src/runtime/procedure.js";
import type { ContentPart } from "../src/llm/language-model.js";
import { displayFact } from "../src/runtime/display.js";
import type { Fact } from "../src/runtime/values.js";

/** The items of a list source, or the source itself. */
export function sourceItems(source: Fact): Fact[] {
  return source.value.kind === "list" ? source.value.items : [source];
}

/** A source (text, document, or a list of them) as the content of a model request. */
export async function contentOf(call: ProcedureCall, source: Fact, dpi: number): Promise<ContentPart[]> {
  void dpi;
  const parts: ContentPart[] = [];
  for (const item of sourceItems(source)) {
    const value = item.value;
    if (value.kind === "document") {
      if (value.text === undefined) call.fail(`I can't give ${value.name} to a model yet: only text documents are read so far.`);
      parts.push({ type: "text", text: `Document "${value.name}":\n${value.text}` });
    } else {
      parts.push({ type: "text", text: displayFact(item) });
    }
  }
  return parts;
}
