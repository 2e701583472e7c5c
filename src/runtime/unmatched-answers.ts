import type { Question } from "./questions.js";

/** How many open questions a warning names before it says how many more there are. */
const namedAtMost = 10;

/**
 * A warning for each answer key that answered no question the run asked (a misspelt fact name,
 * an id from another run): it names the open questions, so the fix is one look away. A key
 * for a question the run has not reached yet (one that only comes after another is answered)
 * is named too: give it again when that question is open.
 */
export function unmatchedAnswerWarnings(keys: readonly string[], open: readonly Question[]): string[] {
  if (keys.length === 0) return [];
  const listed = open.slice(0, namedAtMost).map((question) => `${question.subject ?? question.text} (${question.id})`);
  if (open.length > namedAtMost) listed.push(`and ${open.length - namedAtMost} more`);
  return keys.map((key) => {
    const shown = key.length > 80 ? `${key.slice(0, 79)}…` : key;
    if (open.length === 0) return `No question matched the answer "${shown}": the run did not ask it.`;
    return `No open question matches "${shown}"; the open questions are: ${listed.join(", ")}.`;
  });
}
