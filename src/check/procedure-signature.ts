/**
 * What `check` needs to know of a procedure it does not define itself: how it is said, which
 * block lines it takes, where its result goes and what it does. The standard library's
 * procedures (src/runtime/procedure.ts's `StandardProcedure`) extend it with how they run; the
 * caller of `check` hands them in (see `newPhrasebook`), so `check` never imports the library.
 */
export interface ProcedureSignature {
  /** `split {text} into parts`: fixed words and `{slot}`s; articles before fixed words are optional. */
  pattern: string;
  /** The fact the result is stored under when the call has no `as the …`. */
  resultName?: string;
  /**
   * When this slot's argument is a name (`make the title uppercase`), the result replaces that
   * fact's value instead of going to a result name.
   */
  changesInPlace?: string;
  /**
   * A slot that takes an attribute's name, not a value (`sort the claims by amount`): a plain
   * name written there (`amount`, `the amount`) is the text of its words, never a fact to read
   * or ask for; a text (`"amount"`) or any other expression is read as usual.
   */
  nameSlot?: string;
  /** Names of the block lines it accepts (`delimiter`; `fields` for `the first field is …`). */
  blockLines: string[];
  /** Takes any fact line as its block (`start a run of …`: the new run's inputs); `blockLines` is then empty. */
  anyBlockLines?: boolean;
  description: string;
}
