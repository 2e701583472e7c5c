import type { RunRecord } from "../runtime/run-store.js";
import { SessionError } from "./session-error.js";

/**
 * `prose run --resume <id> --answer …` on a run that finished `done`: no question is open, so
 * the answers could change nothing, and replaying the run would show its old end as if they had
 * been taken. It is refused, saying how to start the script again with them. A failed run may
 * still be resumed with answers (a corrected answer can mend what made it fail; answers that
 * match no question are warned about).
 */
export function refuseAnswersToFinishedRun(earlier: RunRecord, answerFlags: readonly string[]): void {
  if (earlier.status !== "done") return;
  const inputs = earlier.arguments.inputs.flatMap((pair) => ["--input", pair]);
  const command = ["prose", "run", earlier.script, ...inputs, ...answerFlags].map(shellWord).join(" ");
  throw new SessionError(
    `The run ${earlier.id} already finished (done): it has no open question, so these answers can change nothing in it.`,
    `To run the script again with them, start a new run: ${command}`,
  );
}

/** A word as a shell would need it: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, "\\$1")}"`;
}
