import type { Reference } from "../syntax/ast.js";

/**
 * Raised while evaluating when a fact is not known. The statement that needs it turns this
 * into a question, sets the fact from the answer, and runs again.
 */
export class UnknownFact {
  constructor(
    /** The unknown part of the name: `the vendor's email` when the vendor is known. */
    readonly reference: Reference,
  ) {}
}
