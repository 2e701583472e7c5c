import type { NameSegment, Reference } from "./ast.js";
import { ordinalIndex } from "./ordinals.js";
import type { Span } from "./span.js";

/**
 * A name written as words ("first document", "invoice's words") as a reference: possessives
 * separate its segments, and a segment that starts with an ordinal picks a list item.
 */
export function referenceFromName(name: string, span: Span): Reference {
  const segments = name
    .trim()
    .toLowerCase()
    .split(/['’]s?\s+/)
    .map((part): NameSegment => {
      const words = part.trim().split(/\s+/);
      const index = words.length > 1 ? ordinalIndex(words[0]) : undefined;
      const segmentName = words.join(" ");
      return index === undefined ? { name: segmentName, span } : { name: segmentName, ordinal: { index, noun: words.slice(1).join(" ") }, span };
    });
  return { segments, text: `the ${segments.map((segment) => segment.name).join("'s ")}`, span };
}
