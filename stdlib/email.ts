import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { isData, dataAsJsonText } from "../src/runtime/data-text.js";
import { display } from "../src/runtime/display.js";
import { EmailNotSent, type EmailAttachment, type OutgoingEmail } from "../src/runtime/email.js";
import { describeKind, type Fact } from "../src/runtime/values.js";
import { FileRefused } from "../src/platform/file-refused.js";
import { argument } from "./arguments.js";
import { tableAsCsv } from "./table-writing.js";
import { openDocument } from "./files.js";

/**
 * Email (§10.4): `send an email` and `send {text} to {recipients}`, over SMTP with the agent's
 * settings (`prose byom email add`). The run's context sends (the command line's host, journaled:
 * a resumed run never sends a mail twice); this file only makes the message.
 */

const address = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** The recipients: a text (several may be separated by commas or semicolons), a list of texts. */
function recipientsOf(call: ProcedureCall, fact: Fact | undefined, where: string): string[] {
  if (fact === undefined) call.fail("`send an email` needs its recipients.", 'fix: add the block line `the recipient is "someone@example.com"` (or `the recipients are "a@example.com" and "b@example.com"`).');
  const items = fact.value.kind === "list" ? fact.value.items : [fact];
  const found: string[] = [];
  for (const item of items) {
    if (item.value.kind !== "text") call.fail(`I expected an email address for ${where}, but got ${describeKind(item.value)} ("${display(item.value).slice(0, 80)}").`, 'fix: give addresses as texts, such as "someone@example.com".');
    for (const piece of item.value.text.split(/[,;]/)) {
      const trimmed = piece.trim();
      if (trimmed === "") continue;
      if (!address.test(trimmed)) call.fail(`"${trimmed.slice(0, 120)}" is not an email address (in ${where}).`, 'fix: write one address such as "someone@example.com"; separate several with "and", or with commas in one text.');
      if (!found.includes(trimmed)) found.push(trimmed);
    }
  }
  if (found.length === 0) call.fail(`${where} holds no email address.`, 'fix: give at least one, such as "someone@example.com".');
  return found;
}

/** A body or subject: a text as it is; a record or table as its JSON text; anything else as `say` shows it. */
function textOf(fact: Fact): string {
  if (isData(fact)) return dataAsJsonText(fact);
  const value = fact.value;
  if (value.kind === "document") return value.text ?? value.name;
  return display(value);
}

/** A block line given either way (`the recipient is` / `the recipients are`); an error when both are. */
function eitherLine(call: ProcedureCall, one: string, many: string): Fact | undefined {
  const single = call.block.get(one);
  const plural = call.block.get(many);
  if (single && plural) call.fail(`\`the ${one}\` and \`the ${many}\` are both given.`, `fix: keep one line: \`the ${many} are …\` with every item.`);
  return single ?? plural;
}

function isTable(fact: Fact): boolean {
  return fact.hasAttributes() || (fact.value.kind === "list" && fact.value.items.length > 0 && fact.value.items.every((item) => item.hasAttributes()));
}

/**
 * The attachments: a document (a file opened with `read the file`) as its bytes; a table (a list
 * of records) or a record as a CSV file; a text as the path of a file inside the script's files
 * root. A list given with `are` holds several.
 */
async function attachmentsOf(call: ProcedureCall): Promise<EmailAttachment[]> {
  const given = eitherLine(call, "attachment", "attachments");
  if (given === undefined) return [];
  const items = isTable(given) || given.value.kind !== "list" ? [given] : given.value.items;
  const attachments: EmailAttachment[] = [];
  let tables = 0;
  const uniqueName = (name: string): string => {
    let candidate = name;
    for (let counter = 2; attachments.some((attachment) => attachment.filename === candidate); counter++) candidate = name.replace(/(\.[^.]*)?$/, (extension) => `-${counter}${extension}`);
    return candidate;
  };
  for (const item of items) {
    const value = item.value;
    if (isTable(item)) {
      tables += 1;
      // A table goes as the CSV `write … to the file "….csv"` writes, under the column names it was read with.
      const filename = uniqueName(tables === 1 ? "table.csv" : `table-${tables}.csv`);
      const csv = await tableAsCsv(call, item, filename);
      attachments.push({ filename, content: new TextEncoder().encode(csv), contentType: "text/csv; charset=utf-8" });
    } else if (value.kind === "document") {
      attachments.push({ filename: uniqueName(value.name), content: await readAttachment(call, value.path, value.name) });
    } else if (value.kind === "text") {
      const document = await openDocument(call, value.text);
      attachments.push({ filename: uniqueName(document.name), content: await readAttachment(call, document.path, value.text) });
    } else {
      call.fail(`I can't attach ${describeKind(value)} ("${display(value).slice(0, 80)}") to an email.`, 'fix: attach a document (`read the file "report.pdf"`), a table (sent as CSV), or give a file\'s path as a text.');
    }
  }
  return attachments;
}

async function readAttachment(call: ProcedureCall, path: string, written: string): Promise<Uint8Array> {
  try {
    return await call.context.readFile(path);
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    if (typeof code === "string") call.fail(`I can't read "${written}" to attach it (${code}).`, "fix: check that the file is still there.");
    if (problem instanceof FileRefused) call.fail(problem.messageFor(written), problem.fix);
    throw problem;
  }
}

/** Hands the message to the run's sender; an English error (naming the server) when it is not sent. */
async function send(call: ProcedureCall, message: OutgoingEmail): Promise<undefined> {
  const sendEmail = call.context.sendEmail;
  if (sendEmail === undefined) call.fail("This run can't send email: it was started without a mail server.", "fix: run the script with `prose run`, after `prose byom email add --host HOST --port PORT --from ADDRESS`.");
  let sent;
  try {
    sent = await sendEmail(message);
  } catch (problem) {
    if (problem instanceof EmailNotSent) call.fail(problem.message, problem.fix);
    throw problem;
  }
  if (sent.rejected.length > 0) {
    call.context.warn(`The mail server refused ${sent.rejected.map((recipient) => `"${recipient}"`).join(", ")}; the email went to ${sent.accepted.map((recipient) => `"${recipient}"`).join(", ") || "nobody else"}.`);
  }
  return undefined;
}

export const emailProcedures: StandardProcedure[] = [
  {
    pattern: "send an email",
    blockLines: ["recipient", "recipients", "subject", "body", "attachment", "attachments"],
    description: "Sends an email with the agent's mail server (`prose byom email add`): the block gives the recipients, the subject, the body and attachments (documents, or tables sent as CSV). A resumed run does not send it again.",
    run: async (call) => {
      const to = recipientsOf(call, eitherLine(call, "recipient", "recipients"), "the recipients");
      const subject = call.block.get("subject");
      if (subject === undefined) return call.fail("`send an email` needs a subject.", 'fix: add the block line `the subject is "…"`.');
      const body = call.block.get("body");
      const attachments = await attachmentsOf(call);
      return send(call, { to, subject: oneLine(textOf(subject)), text: body === undefined ? "" : textOf(body), attachments });
    },
  },
  {
    pattern: "send {text} to {recipients}",
    blockLines: ["subject"],
    description: "Sends the text as an email to the recipients (an address, or a list of them) with the agent's mail server; the subject is the block's `the subject is …`, else the text's first line. A resumed run does not send it again.",
    run: async (call) => {
      const text = textOf(argument(call, "text"));
      const to = recipientsOf(call, argument(call, "recipients"), "{recipients}");
      const subject = call.block.get("subject");
      return send(call, { to, subject: subject === undefined ? firstLine(text) : oneLine(textOf(subject)), text, attachments: [] });
    },
  },
];

/** A subject is one line: line breaks become spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** The text's first line that is not empty, at most 78 characters (cut at a word, with "…"). */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((candidate) => candidate.trim() !== "")?.trim() ?? "";
  if (line.length <= 78) return line;
  const cut = line.slice(0, 77);
  const space = cut.lastIndexOf(" ");
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}
