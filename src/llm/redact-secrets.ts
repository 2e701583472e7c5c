/**
 * Removing secret values from text that may echo them: a provider's error body, an SDK's message,
 * a secret store's error. A server may echo a key in another form than the one it was sent, so
 * every form is matched, in any letter case:
 * - the key as is, JSON-escaped, URL-encoded (encodeURIComponent, and form encoding with `+`);
 * - base64 and base64url of the key alone, and inside a longer base64 text (`Basic
 *   base64(user:key)`, a base64-encoded JSON blob): the key then starts at byte offset 0, 1 or 2
 *   of a 3-byte group, so the characters that depend on its bytes alone are matched for each offset;
 * - hex, lower and upper case.
 * Secrets shorter than 4 characters are left alone (they would match ordinary words).
 */

export const redactedMark = "[redacted]";

const minimumSecretLength = 4;
/** A shorter middle of a shifted base64 encoding could match by chance. */
const minimumEncodedLength = 8;

/** The text with every form of every secret replaced by `[redacted]`; linear in the text's length for a given set of secrets. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  if (text === "") return text;
  const pattern = patternFor(secrets);
  return pattern === undefined ? text : text.replace(pattern, redactedMark);
}

/** Whether any form of any secret is in the text. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  const pattern = patternFor(secrets);
  return pattern !== undefined && pattern.test(text);
}

/** Every form `secret` may take in an echo, longest first. */
export function secretForms(secret: string): string[] {
  if (secret.length < minimumSecretLength) return [];
  const bytes = Buffer.from(secret, "utf8");
  const forms = new Set<string>();
  const add = (form: string) => {
    if (form.length >= minimumSecretLength) forms.add(form);
  };
  add(secret);
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  add(jsonEscaped);
  add(jsonEscaped.replace(/\//g, "\\/"));
  const uriEncoded = encodeURIComponent(secret);
  add(uriEncoded);
  add(uriEncoded.replace(/%20/g, "+"));
  add(new URLSearchParams({ k: secret }).toString().slice(2));
  add(bytes.toString("hex"));
  for (const offset of [0, 1, 2]) {
    const middle = shiftedBase64Middle(bytes, offset);
    if (middle.length < minimumEncodedLength) continue;
    add(middle);
    add(middle.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  // Short secrets have no stable middle: their whole encoding, without padding, is matched.
  const base64 = bytes.toString("base64").replace(/=+$/, "");
  add(base64);
  add(bytes.toString("base64url"));
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters that depend only on the secret's bytes when it starts `offset` bytes into
 * a longer text: the 4-character groups whose 3 bytes are all the secret's.
 */
function shiftedBase64Middle(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  const firstGroup = offset === 0 ? 0 : 1;
  const endGroup = Math.floor((offset + bytes.length) / 3);
  return endGroup <= firstGroup ? "" : encoded.slice(firstGroup * 4, endGroup * 4);
}

/** One case-insensitive pattern of every form of every secret, built once per call (errors are rare; no secret is kept after it). */
function patternFor(secrets: readonly string[]): RegExp | undefined {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  return forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join("|"), "gi");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
