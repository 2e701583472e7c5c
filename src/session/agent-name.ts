import { ByomError } from "../byom/byom-error.js";
import { checkAgentName, defaultAgent } from "../byom/workspace.js";
import { SessionError } from "./session-error.js";

/** Whose BYOM providers a run calls: the name given, "default" when none; a name that cannot be one is refused. */
export function runAgent(name: string | undefined): string {
  try {
    return checkAgentName(name ?? defaultAgent);
  } catch (problem) {
    if (problem instanceof ByomError) throw new SessionError(problem.message, problem.fix);
    throw problem;
  }
}
