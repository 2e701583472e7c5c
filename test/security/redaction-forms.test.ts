import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containsSecret, redactSecrets, secretForms } from "../../src/llm/redact-secrets.js";
import { scrubSecrets } from "../../src/llm/provider-error.js";
import { canaryForms, describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";

const key = "sk-RedactCanary7fQx2LmZ9/TzKp+4WbN8dHsV";

describe("redactSecrets: every form of a key in an echo", () => {
  for (const [name, echoed] of Object.entries(echoedForms(key))) {
    it(`${name}`, () => {
      expect(findCanary(key, echoed, name)).not.toEqual([]);
      const redacted = redactSecrets(`before ${echoed} after`, [key]);
      expect(findCanary(key, redacted, name), `${redacted}`).toEqual([]);
      expect(redacted).toContain("[redacted]");
      expect(redacted.startsWith("before ")).toBe(true);
      expect(redacted.endsWith(" after")).toBe(true);
    });
  }

  it("every form the test helper searches for, alone, and inside words and JSON", () => {
    for (const form of canaryForms(key)) {
      for (const text of [form.value, `x${form.value}y`, JSON.stringify({ message: `got ${form.value}` })]) {
        const redacted = redactSecrets(text, [key]);
        expect(findCanary(key, redacted, form.name), `${form.name}: ${redacted}`).toEqual([]);
      }
    }
  });

  it("any letter case of the key and of its header", () => {
    for (const text of ["authorization: bearer " + key.toLowerCase(), "AUTHORIZATION: BEARER " + key.toUpperCase(), "Bearer " + key.replace(/[a-z]/g, (c) => c.toUpperCase())]) {
      expect(redactSecrets(text, [key])).toMatch(/: bearer \[redacted\]$|^Bearer \[redacted\]$/i);
    }
  });

  it("scrubSecrets (provider-error.ts) is the same function", () => {
    expect(scrubSecrets(`x ${Buffer.from(key).toString("base64")}`, [key])).toBe("x [redacted]");
  });

  it("the key inside any longer base64 text, at any alignment (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.oneof(fc.string({ minLength: 9, maxLength: 60 }), fc.string({ minLength: 9, maxLength: 60, unit: "binary" })), fc.boolean(), (before, after, secret, url) => {
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from(secret, "utf8"), Buffer.from(after)]);
        const encoded = url ? bytes.toString("base64url") : bytes.toString("base64");
        expect(containsSecret(encoded, [secret])).toBe(true);
        const redacted = redactSecrets(encoded, [secret]);
        expect(describeSightings(findCanary(secret, redacted, "redacted"))).toBe("");
      }),
      { numRuns: 300 },
    );
  });

  it("hex in both cases, URL and form encoding, JSON escapes of a key with special characters", () => {
    const special = 'k3y "with" spaces/+&=ü\\end';
    const forms = [
      Buffer.from(special).toString("hex"),
      Buffer.from(special).toString("hex").toUpperCase(),
      encodeURIComponent(special),
      new URLSearchParams({ k: special }).toString().slice(2),
      JSON.stringify(special).slice(1, -1),
      JSON.stringify(special).slice(1, -1).replace(/\//g, "\\/"),
    ];
    for (const form of forms) expect(redactSecrets(`<${form}>`, [special]), form).toBe("<[redacted]>");
  });

  it("several secrets at once; short secrets and ordinary text are left alone", () => {
    const other = "AKIA-OTHER-SECRET-VALUE-0001";
    expect(redactSecrets(`${key} and ${other.toLowerCase()}`, [key, other])).toBe("[redacted] and [redacted]");
    expect(redactSecrets("the key was rejected (401): check the API key", [key, "abc", ""])).toBe("the key was rejected (401): check the API key");
    expect(redactSecrets("", [key])).toBe("");
    expect(secretForms("abc")).toEqual([]);
  });

  it("a large body is redacted in one pass (a 5 MB error body with echoes at its start, middle and end)", () => {
    const filler = "x".repeat(2_500_000);
    const text = `${key}${filler}${Buffer.from(key).toString("base64")}${filler}${key.toLowerCase()}`;
    const redacted = redactSecrets(text, [key]);
    expect(redacted.length).toBe(filler.length * 2 + 3 * "[redacted]".length);
    expect(findCanary(key, redacted, "large body")).toEqual([]);
  });
});
