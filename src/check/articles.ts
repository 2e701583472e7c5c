import type { PatternPart } from "../syntax/ast.js";

const articles = new Set(["a", "an", "the"]);

export function isArticle(word: string | undefined): boolean {
  return word !== undefined && articles.has(word);
}

/**
 * The one rule for articles in a procedure's pattern, the standard library's and the script's
 * own: an article that follows another part and stands before a fixed word or an input is
 * optional when calling (`read file "a.txt"`, `read the file "a.txt"`), so it is not part of the
 * pattern. An article that starts the name stays: there is nothing before it to attach it to.
 */
export function withoutOptionalArticles(parts: readonly PatternPart[]): PatternPart[] {
  return parts.filter((part, index) => !(part.kind === "word" && isArticle(part.word) && index > 0 && index < parts.length - 1));
}
