import { describe, expect, it } from "vitest";
import type { OutgoingEmail, SentEmail } from "../../src/runtime/email.js";
import { EmailNotSent } from "../../src/runtime/email.js";
import { MemoryJournal } from "../../src/runtime/journal.js";
import { journaledSendEmail } from "../../src/runtime/journaled-email.js";

/** Steps keyed like a strand's: the same place gives the same keys in every attempt of the run. */
function steps() {
  let count = 0;
  return { nextStep: (kind: string) => `main.prose:1:1 ${kind}#${++count}`, where: () => "main.prose:1:1" };
}

const message: OutgoingEmail = { to: ["ann@example.com"], subject: "Hi", text: "Hello", attachments: [{ filename: "a.txt", content: new TextEncoder().encode("a") }] };

function sender(outcomes: Array<SentEmail | Error>) {
  const sent: OutgoingEmail[] = [];
  return {
    sent,
    send: async (email: OutgoingEmail): Promise<SentEmail> => {
      sent.push(email);
      const outcome = outcomes.shift()!;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

describe("journaledSendEmail", () => {
  it("replays a sent mail in a resumed run instead of sending it again", async () => {
    const journal = new MemoryJournal();
    const first = sender([{ messageId: "<1@x>", accepted: ["ann@example.com"], rejected: [] }]);
    expect(await journaledSendEmail(first.send, journal, steps(), () => undefined)(message)).toEqual({ messageId: "<1@x>", accepted: ["ann@example.com"], rejected: [] });
    const resumed = sender([]);
    expect(await journaledSendEmail(resumed.send, new MemoryJournal(journal.records), steps(), () => undefined)(message)).toEqual({ messageId: "<1@x>", accepted: ["ann@example.com"], rejected: [] });
    expect(resumed.sent).toEqual([]);
    // The journal holds a hash of the message, never its text.
    expect(JSON.stringify(journal.records)).not.toContain("Hello");
  });

  it("does not send again a mail that was being sent when the run stopped, and says so", async () => {
    const crashed = new MemoryJournal([{ kind: "email", step: "main.prose:1:1 email#1", fingerprint: "", result: { state: "sending" } }]);
    // The fingerprint of the message as the first attempt journaled it.
    const probe = new MemoryJournal();
    await journaledSendEmail(sender([{ messageId: "<p@x>", accepted: [], rejected: [] }]).send, probe, steps(), () => undefined)(message);
    const print = probe.records[0].kind === "email" ? probe.records[0].fingerprint : undefined;
    const journal = new MemoryJournal([{ ...(crashed.records[0] as object), fingerprint: print } as never]);
    const warnings: string[] = [];
    const resumed = sender([]);
    await journaledSendEmail(resumed.send, journal, steps(), (warning) => warnings.push(warning))(message);
    expect(resumed.sent).toEqual([]);
    expect(warnings).toEqual(["The email at main.prose:1:1 was being sent when this run stopped: it may have arrived, so it is not sent again."]);
  });

  it("sends again a mail the server refused, and a changed mail", async () => {
    const journal = new MemoryJournal();
    const failing = sender([new EmailNotSent("refused")]);
    await expect(journaledSendEmail(failing.send, journal, steps(), () => undefined)(message)).rejects.toThrow("refused");
    const retried = sender([{ messageId: "<2@x>", accepted: ["ann@example.com"], rejected: [] }]);
    const second = new MemoryJournal(journal.records);
    await journaledSendEmail(retried.send, second, steps(), () => undefined)(message);
    expect(retried.sent).toHaveLength(1);
    const warnings: string[] = [];
    const changed = sender([{ messageId: "<3@x>", accepted: ["ann@example.com"], rejected: [] }]);
    await journaledSendEmail(changed.send, new MemoryJournal(second.records), steps(), (warning) => warnings.push(warning))({ ...message, subject: "Changed" });
    expect(changed.sent).toHaveLength(1);
    expect(warnings).toEqual(["The email at main.prose:1:1 is not the one this run's journal holds (the script or its inputs changed): it is sent again."]);
  });
});
