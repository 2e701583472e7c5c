/**
 * The standard procedures a run may call while it looks ahead for more questions (see
 * `LookAhead`): they only compute a value from their arguments or ask for one, so running them
 * early shows nothing to anyone and changes nothing outside the run's facts. Every other
 * procedure (writing files, waiting, calling a model, reading a file that a skipped statement
 * might have written) waits for the resumed run. A procedure added to the standard library is
 * not in this list until someone decides it belongs here.
 */
export const lookAheadProcedures: ReadonlySet<string> = new Set([
  "get {name}",
  "get {name} as a number",
  "get {name} as a date",
  "get {name} as text",
  "get {name} as yes or no",
  "get {name} as a boolean",
  "get {name} as a list",
  "add {value} to {target}",
  "subtract {value} from {target}",
  "get the current date",
  "add {count} days to {date}",
  "convert {value} to a date",
  "convert {value} to a number",
  "convert {value} to text",
  "format {date}",
  "sort {list}",
  "round {number}",
  "split {text} into parts",
  "join {list}",
  "make {text} uppercase",
  "make {text} lowercase",
  "replace {old} with {new} in {text}",
  "parse {text} as json",
]);
