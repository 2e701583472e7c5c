import { describe, expect, it } from "vitest";
import { checkSource } from "../support/run-script.js";
import { documentFieldsOf } from "../../src/check/document-field-plan.js";

const plan = (source: string) => Object.fromEntries(documentFieldsOf(checkSource(source).program));

describe("the fields a script reads through possessives, per owner (read from a document in one model call)", () => {
  it("collects every field read of each owner, wherever it is read", () => {
    const fields = plan(`read the file "i.txt" as the invoice
say "{the invoice's number} from {the invoice's vendor}"
if the invoice's total is greater than 100
    get the invoice's "tax id"
for each invoice in the invoices
    find the invoice's due date
to check an invoice
    say the invoice's currency
`);
    expect(fields.invoice).toEqual(["number", "vendor", "total", "tax id", "due date", "currency"]);
  });

  it("keys items picked by ordinals by their noun, and owners deeper in a name by their own name", () => {
    // `the number of invoices` makes `the first invoice` an item of the invoices (LANGUAGE.md §10.1).
    const fields = plan(`say the number of invoices\nsay the first invoice's total\nsay the email's attachment's sender\n`);
    expect(fields.invoice).toEqual(["total"]);
    expect(fields.email).toEqual(["attachment"]);
    expect(fields.attachment).toEqual(["sender"]);
  });

  it("leaves out fields the script sets itself", () => {
    const fields = plan(`the invoice's status is "seen"\nsay the invoice's status\nsay the invoice's total\n`);
    expect(fields.invoice).toEqual(["total"]);
  });

  it("reads call arguments and block lines too", () => {
    const fields = plan(`summarize the report's body\n    the focus is the report's "main risk"\n`);
    expect(fields.report).toEqual(["body", "main risk"]);
  });
});
