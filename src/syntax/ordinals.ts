const ordinalWords = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** `first` → 1, `3rd` → 3, `last` → -1; anything else → undefined. */
export function ordinalIndex(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (lower === "last") return -1;
  const position = ordinalWords.indexOf(lower);
  if (position >= 0) return position + 1;
  const numbered = /^(\d+)(?:st|nd|rd|th)$/.exec(lower);
  if (numbered) {
    const index = Number(numbered[1]);
    return index >= 1 && Number.isSafeInteger(index) ? index : undefined;
  }
  return undefined;
}

/** 1 → "first", 12 → "12th", -1 → "last". */
export function ordinalWord(index: number): string {
  if (index === -1) return "last";
  if (index >= 1 && index <= ordinalWords.length) return ordinalWords[index - 1];
  const lastTwo = index % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[index % 10] ?? "th";
  return `${index}${suffix}`;
}
