import type { NameSegment, Reference } from "./ast.js";
import { ordinalIndex } from "./ordinals.js";
import type { Span } from "./span.js";

/** A name written as words ("first document", "invoice total") as a reference, ordinals included. */
export function referenceFromName(name: string, span: Span): Reference {
  const words = name.trim().toLowerCase().split(/\s+/);
  const index = words.length > 1 ? ordinalIndex(words[0]) : undefined;
  const segment: NameSegment = index === undefined ? { name: words.join(" "), span } : { name: words.join(" "), ordinal: { index, noun: words.slice(1).join(" ") }, span };
  return { segments: [segment], text: `the ${words.join(" ")}`, span };
}
