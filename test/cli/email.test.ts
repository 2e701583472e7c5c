import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryForms } from "../support/canary-forms.js";
import { serversClosedAfterEach } from "../support/servers-per-test.js";
import { closedPort, startSmtpServer } from "../support/smtp-test-server.js";
import { repositoryRoot } from "../support/built-cli.js";
import { startSsmServer } from "../support/ssm-server.js";
import { TestWorkspace } from "../support/workspace-cli.js";

/**
 * `prose byom email add|show|remove` and `send an email` / `send {text} to {recipients}` through
 * the real CLI (child processes of the built bundle), against a real SMTP server on 127.0.0.1
 * (smtp-server) that checks the password itself and records every mail it takes.
 */

const started = serversClosedAfterEach();
const canary = "Canary-Sm7p-Pa55word-4d1f9e"; // the SMTP password: must show nowhere but (encrypted) in the store
let space: TestWorkspace;

beforeEach(async () => {
  space = await TestWorkspace.create();
});
afterEach(async () => {
  await space.dispose();
});

async function script(name: string, source: string): Promise<string> {
  const path = join(space.folder, name);
  await writeFile(path, source);
  return path;
}

/** Every file of the workspace and the script folder, but the encrypted store, with its text. */
async function filesOf(folder: string): Promise<Array<{ path: string; text: string }>> {
  const found: Array<{ path: string; text: string }> = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push({ path, text: (await readFile(path)).toString("latin1") });
    }
  };
  await walk(folder);
  return found;
}

function sightings(texts: Array<{ where: string; text: string }>): string[] {
  return texts.flatMap(({ where, text }) => canaryForms(canary).filter((form) => text.includes(form.value)).map((form) => `${form.name} in ${where}`));
}

describe("prose byom email", () => {
  it("keeps the settings in the agent file and the password only in the encrypted store, never in output", async () => {
    const outputs: Array<{ where: string; text: string }> = [];
    const added = await space.run(["byom", "email", "add", "--host", "127.0.0.1", "--port", "2525", "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: `${canary}\n` });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Saved the email settings of the agent "default": 127.0.0.1:2525 (STARTTLS when the server offers it), from robot@example.com, login robot.');
    const agent = (await space.agent()) as unknown as { email: Record<string, unknown> };
    expect(agent.email).toMatchObject({ host: "127.0.0.1", port: 2525, from: "robot@example.com", security: "auto", user: "robot", credentialVersion: 1 });
    expect(await space.entries()).toEqual([{ agent: "default", providerId: "email", version: 1 }]);
    expect(await space.store().get({ agent: "default", providerId: "email", version: 1 })).toBe(canary);

    const shown = await space.run(["byom", "email", "show"]);
    expect(shown.stdout).toContain("password    stored (version 1, local (encrypted file in the workspace) store)");
    const json = await space.run(["byom", "email", "show", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ agent: "default", email: { host: "127.0.0.1", port: 2525, user: "robot", password: { stored: true, version: 1 } } });

    // Replacing the settings stores version 2 and deletes version 1.
    const replaced = await space.run(["byom", "email", "add", "--host", "127.0.0.1", "--port", "2526", "--from", "robot@example.com", "--user", "robot", "--password-env", "SMTP_PASSWORD"], { env: { SMTP_PASSWORD: canary } });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain("Replaced the email settings");
    expect(await space.entries()).toEqual([{ agent: "default", providerId: "email", version: 2 }]);

    outputs.push(...[added, shown, json, replaced].flatMap((outcome, index) => [{ where: `stdout ${index}`, text: outcome.stdout }, { where: `stderr ${index}`, text: outcome.stderr }]));
    const files = (await filesOf(space.workspace)).filter((file) => !file.path.endsWith("secrets.enc.json"));
    expect(sightings([...outputs, ...files.map((file) => ({ where: file.path, text: file.text }))])).toEqual([]);
    // Encrypted: not even the store's file holds it in any readable form.
    expect(sightings([{ where: "secrets.enc.json", text: await readFile(join(space.workspace, "secrets.enc.json"), "latin1") }])).toEqual([]);

    const removed = await space.run(["byom", "email", "remove"]);
    expect(removed.stdout).toContain('Removed the email settings of the agent "default" and deleted its password.');
    expect(await space.entries()).toEqual([]);
    expect(((await space.agent()) as unknown as { email?: unknown }).email).toBeUndefined();
    expect((await space.run(["byom", "email", "show"])).stdout).toContain('The agent "default" has no email settings.');
  });

  it("refuses a password given as an argument, and a user without a password", async () => {
    const typed = await space.run(["byom", "email", "add", "--host", "smtp.example.com", "--from", "a@example.com", "--user", "robot", "--password", canary]);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toContain("--password would put the password on the command line");
    expect(sightings([{ where: "stderr", text: typed.stderr }, { where: "stdout", text: typed.stdout }])).toEqual([]);
    const missing = await space.run(["byom", "email", "add", "--host", "smtp.example.com", "--from", "a@example.com", "--user", "robot"]);
    expect(missing.stderr).toContain("--user robot needs its password.");
    const badPort = await space.run(["byom", "email", "add", "--host", "smtp.example.com", "--port", "99999", "--from", "a@example.com"]);
    expect(badPort.stderr).toContain('--port "99999" is not a port number');
    const tls = await space.run(["byom", "email", "add", "--host", "smtp.example.com", "--tls", "--from", "a@example.com", "--agent", "mailer", "--json"]);
    expect(JSON.parse(tls.stdout)).toMatchObject({ agent: "mailer", email: { port: 465, security: "tls", user: null, password: null } });
  });
});

describe("send an email", () => {
  it("sends recipients, subject, body, a document and a table as CSV, logging in with the stored password (AUTH PLAIN)", async () => {
    const server = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary }, authMethods: ["PLAIN"] }));
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x00, 0xff, 0x80, 0x0a]);
    await writeFile(join(space.folder, "report.pdf"), pdf);
    await writeFile(join(space.folder, "claims.csv"), 'id,who,amount\nC-1,"Lee, Ann",120.50\nC-2,Bob,80\n');
    const path = await script(
      "mail.prose",
      [
        'read the file "report.pdf" as the report',
        'read the file "claims.csv" as the claims',
        "send an email",
        '    the recipients are "ann@example.com" and "bob@example.com"',
        '    the subject is "Report for {the number of claims} claims"',
        '    the body is "Total: {the sum of the claims\' amounts}"',
        "    the attachments are the report and the claims",
        'send "Done.\\nAll good." to "ann@example.com"',
        'say "sent"',
      ].join("\n"),
    );
    const run = await space.run(["run", path]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("sent\n");
    expect(server.logins).toEqual([{ method: "PLAIN", username: "robot", accepted: true }, { method: "PLAIN", username: "robot", accepted: true }]);
    const [first, second] = server.received;
    expect(server.received).toHaveLength(2);
    expect(first.envelopeFrom).toBe("robot@example.com");
    expect(first.envelopeTo).toEqual(["ann@example.com", "bob@example.com"]);
    expect(first.login).toEqual({ method: "PLAIN", username: "robot" });
    expect(first.parsed.subject).toBe("Report for 2 claims");
    expect(first.parsed.text?.trim()).toBe("Total: 200.5");
    expect(first.parsed.attachments.map((attachment) => attachment.filename)).toEqual(["report.pdf", "table.csv"]);
    expect(Buffer.compare(first.parsed.attachments[0].content, pdf)).toBe(0);
    expect(first.parsed.attachments[1].contentType).toBe("text/csv");
    expect(first.parsed.attachments[1].content.toString("utf8")).toBe('id,who,amount\nC-1,"Lee, Ann",120.5\nC-2,Bob,80\n');
    expect(second.envelopeTo).toEqual(["ann@example.com"]);
    expect(second.parsed.subject).toBe("Done.");
    expect(second.parsed.text?.trim()).toBe("Done.\nAll good.");
    const files = (await filesOf(space.workspace)).filter((file) => !file.path.endsWith("secrets.enc.json"));
    expect(sightings([{ where: "stdout", text: run.stdout }, { where: "stderr", text: run.stderr }, ...files.map((file) => ({ where: file.path, text: file.text }))])).toEqual([]);
  });

  it("logs in with AUTH LOGIN when the server offers only that, and fails in English with a wrong password", async () => {
    const server = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary }, authMethods: ["LOGIN"] }));
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    const path = await script("login.prose", 'send "Hello" to "ann@example.com"\n    the subject is "Hi"\n');
    const run = await space.run(["run", path]);
    expect(run.code, run.stderr).toBe(0);
    expect(server.received.map((mail) => [mail.login, mail.parsed.subject])).toEqual([[{ method: "LOGIN", username: "robot" }, "Hi"]]);

    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: "not-the-password" });
    const refused = await space.run(["run", path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: The mail server 127.0.0.1:${server.port} refused the login of robot`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).not.toContain("not-the-password");
    expect(server.received).toHaveLength(1);
  });

  it("sends without AUTH when no user is given", async () => {
    const server = await started(() => startSmtpServer());
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com"]);
    const path = await script("plain.prose", 'send "Nightly job finished." to "ops@example.com"\n');
    const run = await space.run(["run", path]);
    expect(run.code, run.stderr).toBe(0);
    expect(server.logins).toEqual([]);
    expect(server.received.map((mail) => [mail.login, mail.envelopeTo, mail.parsed.subject])).toEqual([[undefined, ["ops@example.com"], "Nightly job finished."]]);
  });

  it("never sends a mail twice when a run is resumed", async () => {
    const server = await started(() => startSmtpServer());
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com"]);
    const path = await script(
      "resume.prose",
      ['send "First step done." to "ops@example.com"', 'read the file "later.txt" as the note', "send the note to \"ops@example.com\"", "    the subject is \"Second\"", 'say "both sent"'].join("\n"),
    );
    const first = await space.run(["run", path]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('The file "later.txt" doesn\'t exist');
    expect(server.received).toHaveLength(1);
    const runId = /prose run --resume (\S+)/.exec(first.stderr)?.[1];
    expect(runId).toBeDefined();
    await writeFile(join(space.folder, "later.txt"), "The note.");
    const resumed = await space.run(["run", "--resume", runId!]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe("both sent\n");
    expect(server.received.map((mail) => mail.parsed.subject)).toEqual(["First step done.", "Second"]);
    // Resuming a finished run sends nothing at all.
    const again = await space.run(["run", "--resume", runId!]);
    expect(again.code, again.stderr).toBe(0);
    expect(server.received).toHaveLength(2);
    const journal = await readFile(join(space.workspace, "runs", runId!, "journal.jsonl"), "utf8");
    expect(journal).toContain('"kind":"email"');
    expect(journal).not.toContain("First step done.");
  });

  it("says in English how to add settings, and names the server that cannot be reached or refuses a recipient", async () => {
    const path = await script("tell.prose", 'send "Hi" to "ann@example.com"\n');
    const none = await space.run(["run", path]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: The agent "default" has no email settings, so I can\'t send the email.');
    expect(none.stderr).toContain("fix: add them with `prose byom email add --host HOST --port PORT --from ADDRESS");

    const port = await closedPort();
    await space.run(["byom", "email", "add", "--host", "127.0.0.1", "--port", String(port), "--from", "robot@example.com"]);
    const unreachable = await space.run(["run", path]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`error: I can't reach the mail server 127.0.0.1:${port}: the connection was refused.`);
    expect(unreachable.stderr).not.toMatch(/\n\s+at |ECONNREFUSED|Error:/);

    const server = await started(() => startSmtpServer({ refuse: ["nobody@example.com"] }));
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com"]);
    const refused = await space.run(["run", await script("refused.prose", 'send "Hi" to "nobody@example.com"\n')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: The mail server 127.0.0.1:${server.port} refused the recipient "nobody@example.com"`);
    const malformed = await space.run(["run", await script("malformed.prose", 'send "Hi" to "ann at example"\n')]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('"ann at example" is not an email address');
    expect(server.received).toHaveLength(0);
  });
});

describe("TLS", () => {
  /** A certificate for 127.0.0.1 made by openssl for the test; the CLI trusts it through NODE_EXTRA_CA_CERTS. */
  async function certificate(): Promise<{ key: string; cert: string; file: string }> {
    const keyFile = join(space.folder, "key.pem");
    const file = join(space.folder, "cert.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", file, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    return { key: await readFile(keyFile, "utf8"), cert: await readFile(file, "utf8"), file };
  }

  it("--tls speaks TLS from the first byte, --starttls upgrades, and logs in only over TLS", async () => {
    const { key, cert, file } = await certificate();
    const trusted = { NODE_EXTRA_CA_CERTS: file };
    const implicit = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary }, tls: { key, cert, implicit: true } }));
    await space.run(["byom", "email", "add", "--host", implicit.host, "--port", String(implicit.port), "--tls", "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    const path = await script("tls.prose", 'send "Over TLS" to "ann@example.com"\n');
    const first = await space.run(["run", path], { env: trusted });
    expect(first.code, first.stderr).toBe(0);
    expect(implicit.received.map((mail) => [mail.secure, mail.login?.username, mail.parsed.subject])).toEqual([[true, "robot", "Over TLS"]]);

    const upgraded = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary }, tls: { key, cert, implicit: false } }));
    await space.run(["byom", "email", "add", "--host", upgraded.host, "--port", String(upgraded.port), "--starttls", "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    const second = await space.run(["run", path], { env: trusted });
    expect(second.code, second.stderr).toBe(0);
    expect(upgraded.received.map((mail) => [mail.secure, mail.login?.username])).toEqual([[true, "robot"]]);

    // A server that offers no STARTTLS, when the settings require it: nothing is sent, the password never goes.
    const plain = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary } }));
    await space.run(["byom", "email", "add", "--host", plain.host, "--port", String(plain.port), "--starttls", "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    const refused = await space.run(["run", path], { env: trusted });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: The mail server 127.0.0.1:${plain.port} does not offer STARTTLS, and the settings require it`);
    expect(plain.logins).toEqual([]);
    expect(plain.received).toEqual([]);
  });
});

describe("the email password in the secret store", () => {
  it("is kept by the clean-up of other commands, moves with `byom store aws-ssm`, and a run logs in with it from there", { timeout: 60_000 }, async () => {
    const server = await started(() => startSmtpServer({ credentials: { username: "robot", password: canary } }));
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com", "--user", "robot", "--password-stdin"], { stdin: canary });
    // Another change of the workspace tidies it (orphan entries go): the email password is not one.
    const other = await space.run(["byom", "email", "add", "--host", "127.0.0.1", "--from", "other@example.com", "--agent", "other"]);
    expect(other.code, other.stderr).toBe(0);
    expect(await space.entries()).toEqual([{ agent: "default", providerId: "email", version: 1 }]);

    const ssm = await startSsmServer({ region: "us-east-1" });
    try {
      const aws = { AWS_ACCESS_KEY_ID: "AKIDEMAILTEST", AWS_SECRET_ACCESS_KEY: "email-test-aws-secret" };
      const switched = await space.run(["byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url], { env: aws });
      expect(switched.code, switched.stderr).toBe(0);
      expect(ssm.parameters.get("/prose/default/email/1")?.value).toBe(canary);
      expect(await space.entries()).toEqual([]);
      const run = await space.run(["run", await script("ssm.prose", 'send "From SSM" to "ann@example.com"\n')], { env: aws });
      expect(run.code, run.stderr).toBe(0);
      expect(server.received.map((mail) => [mail.login, mail.parsed.subject])).toEqual([[{ method: "PLAIN", username: "robot" }, "From SSM"]]);
      const removed = await space.run(["byom", "email", "remove"], { env: aws });
      expect(removed.code, removed.stderr).toBe(0);
      expect(ssm.parameters.has("/prose/default/email/1")).toBe(false);
    } finally {
      await ssm.close();
    }
  });
});

describe("examples/expense-claims.prose", () => {
  it("filters the claims, totals them and emails the summary with the approved claims as CSV", async () => {
    const server = await started(() => startSmtpServer({ credentials: { username: "finance-robot", password: canary } }));
    await space.run(["byom", "email", "add", "--host", server.host, "--port", String(server.port), "--from", "robot@example.com", "--user", "finance-robot", "--password-stdin"], { stdin: canary });
    // A copy of the example with its data, so the run's files stay in the temporary folder.
    await mkdir(join(space.folder, "data"));
    await copyFile(join(repositoryRoot, "examples", "expense-claims.prose"), join(space.folder, "expense-claims.prose"));
    await copyFile(join(repositoryRoot, "examples", "data", "claims.csv"), join(space.folder, "data", "claims.csv"));
    const run = await space.run(["run", join(space.folder, "expense-claims.prose")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("4 approved claims, 2464.05 in all; the largest is 1240.5.\nSent the summary to finance.\n");
    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail.login).toEqual({ method: "PLAIN", username: "finance-robot" });
    expect(mail.envelopeTo).toEqual(["finance@example.com", "lead@example.com"]);
    expect(mail.parsed.subject).toBe("Expense claims: 2464.05 approved");
    expect(mail.parsed.text).toBe("Hello,\n\n4 approved claims, 2464.05 in all; the largest is 1240.5.\nThe approved claims are attached.\n");
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(mail.parsed.attachments[0].filename).toBe("table.csv");
    expect(mail.parsed.attachments[0].content.toString("utf8")).toBe(
      ["id,employee,category,status,amount", "C-101,Ann Lee,travel,approved,1240.5", "C-102,Bob Roy,meals,approved,86.4", "C-104,Chen Wu,training,approved,1099", 'C-105,Bob Roy,"taxi, airport",approved,38.15', ""].join("\n"),
    );
    expect((await stat(join(space.workspace, "secrets.enc.json"))).isFile()).toBe(true);
    expect(sightings([{ where: "stdout", text: run.stdout }, { where: "stderr", text: run.stderr }])).toEqual([]);
  });
});
