import { formatCount, TEXT_LENGTH, LIST_ITEMS, VALUE_NESTING } from "../syntax/limits.js";

/**
 * A value grew past one of the limits in `src/syntax/limits.ts`. It is thrown where the value is
 * made, which does not know the statement; the interpreter gives it the place of the statement
 * that was running, as a `RuntimeError`.
 */
export class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "LimitExceeded";
  }
}

/** Throws when a text of this length is more than a text may hold. */
export function checkTextLength(length: number): void {
  if (length > TEXT_LENGTH.most) throw textTooLong(length);
}

export function textTooLong(length?: number): LimitExceeded {
  const would = length === undefined ? "This text would be longer than Prose allows" : `This text would be ${formatCount(length)} characters long`;
  return new LimitExceeded(
    `${would}; Prose allows texts up to ${formatCount(TEXT_LENGTH.most)} characters.`,
    "fix: check the loop or the join that makes it grow; keep large data in files and read the part you need.",
  );
}

/** Throws when a list of this many items is more than a list may hold. */
export function checkListLength(length: number): void {
  if (length > LIST_ITEMS.most) {
    throw new LimitExceeded(
      `This list would hold ${formatCount(length)} items; Prose allows lists of up to ${formatCount(LIST_ITEMS.most)} items.`,
      "fix: work through the data in parts, for example one file at a time.",
    );
  }
}

export function valueTooDeep(): LimitExceeded {
  return new LimitExceeded(
    `This value holds lists and records nested more than ${formatCount(VALUE_NESTING.most)} deep (or a record that holds itself); Prose cannot show, copy or compare it.`,
    "fix: keep lists of records flat: give each record its own fact instead of putting the whole list inside it.",
  );
}
