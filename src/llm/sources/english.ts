/** "1 page", "3 pages". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "Page 3", "Pages 2 and 5", "Pages 1, 4 and 6". */
export function describePageNumbers(numbers: readonly number[]): string {
  if (numbers.length === 1) return `Page ${numbers[0]}`;
  return `Pages ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}
