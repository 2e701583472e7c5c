/**
 * Proper names own facts without `the` (`John's age`, LANGUAGE.md §10.1). A proper name is kept
 * as written (`John`), while every other name is lower-cased, so a name with a capital is one.
 */
export function isProperName(name: string): boolean {
  return name !== name.toLowerCase();
}

/** A name's segments as a person says them: `the invoice's total`, `John's age`. */
export function spokenName(names: readonly string[]): string {
  const joined = names.join("'s ");
  return names.length > 0 && isProperName(names[0]) ? joined : `the ${joined}`;
}
