import type { LanguageModel } from "../llm/language-model.js";
import type { RunContext } from "./run-context.js";

/**
 * Raised when something a person could see, or that costs money, is asked for while a run looks
 * ahead for questions (see `LookAhead`): the statement is skipped instead, and runs when the run
 * is resumed. Only the standard procedures listed in look-ahead-procedures.ts run while looking
 * ahead, and none of them does such a thing; this guard keeps that true whatever an expression
 * or a procedure added later does.
 */
export class NotWhileLookingAhead {
  constructor(readonly what: string) {}
}

/** A strand's context that refuses output, files, waits and model calls while its strand looks ahead. */
export function guardedWhileLookingAhead(context: RunContext, strand: { readonly lookAhead: unknown }): RunContext {
  const refuse = (what: string) => {
    if (strand.lookAhead !== undefined) throw new NotWhileLookingAhead(what);
  };
  const guarded: RunContext = {
    ...context,
    say: (line) => (refuse("say"), context.say(line)),
    sleep: async (milliseconds, signal) => (refuse("wait"), context.sleep(milliseconds, signal)),
    readFile: async (path) => (refuse("file read"), context.readFile(path)),
    writeFile: async (path, contents) => (refuse("file write"), context.writeFile(path, contents)),
  };
  const sendEmail = context.sendEmail;
  if (sendEmail) guarded.sendEmail = async (message) => (refuse("email"), sendEmail(message));
  const { listFolder, startRun } = context;
  if (listFolder) guarded.listFolder = async (path) => (refuse("folder listing"), listFolder(path));
  if (startRun) guarded.startRun = async (request) => (refuse("run start"), startRun(request));
  const models = context.models;
  if (models) {
    guarded.models = {
      resolve: async (choice) => {
        refuse("model call");
        const model = await models.resolve(choice);
        const checked: LanguageModel = {
          providerId: model.providerId,
          providerType: model.providerType,
          model: model.model,
          generate: async (request) => (refuse("model call"), model.generate(request)),
          stream: (request) => (refuse("model call"), model.stream(request)),
        };
        return checked;
      },
    };
  }
  return guarded;
}
