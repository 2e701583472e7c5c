import type { Command } from "commander";
import { registerAddCommand } from "./add-command.js";
import type { ByomCommandContext } from "./byom-session.js";
import { registerEmailCommands } from "./email-command.js";
import { registerDefaultCommand } from "./default-command.js";
import { registerEditCommand } from "./edit-command.js";
import { registerEnableCommands } from "./enable-command.js";
import { registerModelCommands } from "./model-command.js";
import { registerPolicyCommand } from "./policy-command.js";
import { registerFallbackCommand } from "./fallback-command.js";
import { registerListCommand } from "./list-command.js";
import { registerRemoveCommand } from "./remove-command.js";
import { registerRotateCommand } from "./rotate-command.js";
import { registerShowCommand } from "./show-command.js";
import { registerStoreCommand } from "./store-command.js";
import { registerVerifyCommand } from "./verify-command.js";

/** `prose byom …`: the agent's model providers, their secrets and the workspace's secret store. */
export function registerByomCommands(program: Command, context: ByomCommandContext): void {
  const byom = program.command("byom").description("Bring your own model: configure the agent's model providers.");
  registerAddCommand(byom, context);
  registerListCommand(byom, context);
  registerShowCommand(byom, context);
  registerVerifyCommand(byom, context);
  registerRotateCommand(byom, context);
  registerDefaultCommand(byom, context);
  registerFallbackCommand(byom, context);
  registerEnableCommands(byom, context);
  registerModelCommands(byom, context);
  registerEditCommand(byom, context);
  registerPolicyCommand(byom, context);
  registerRemoveCommand(byom, context);
  registerStoreCommand(byom, context);
  registerEmailCommands(byom, context);
}
