/**
 * Every form a secret can take when something echoes it, for tests that search outputs and files
 * for a canary key: raw, lower and upper case, base64 and base64url (of the key alone, and the
 * stable middles of the key inside a longer base64 text at each of the three byte alignments),
 * hex (both cases), URL-encoded (encodeURIComponent and form encoding) and JSON-escaped.
 */

export interface CanaryForm {
  /** What the form is, for failure messages: "raw", "base64 at offset 1", … */
  name: string;
  value: string;
}

export interface CanarySighting {
  /** Where it was found: a file's path, "stdout of prose run …". */
  where: string;
  form: string;
  /** A few characters around the sighting, with the form itself shown as «…». */
  excerpt: string;
}

/** The base64 characters that depend only on the secret's bytes, when it starts `offset` bytes into a longer text. */
export function shiftedBase64Middle(secret: string, offset: 0 | 1 | 2): string {
  const bytes = Buffer.from(secret, "utf8");
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  const firstGroup = offset === 0 ? 0 : 1;
  const endGroup = Math.floor((offset + bytes.length) / 3);
  return encoded.slice(firstGroup * 4, endGroup * 4);
}

export function canaryForms(secret: string): CanaryForm[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: CanaryForm[] = [
    { name: "raw", value: secret },
    { name: "lower case", value: secret.toLowerCase() },
    { name: "upper case", value: secret.toUpperCase() },
    { name: "base64", value: bytes.toString("base64").replace(/=+$/, "") },
    { name: "base64url", value: bytes.toString("base64url") },
    { name: "hex", value: bytes.toString("hex") },
    { name: "HEX", value: bytes.toString("hex").toUpperCase() },
    { name: "encodeURIComponent", value: encodeURIComponent(secret) },
    { name: "form-encoded", value: new URLSearchParams({ k: secret }).toString().slice(2) },
    { name: "JSON-escaped", value: JSON.stringify(secret).slice(1, -1) },
  ];
  for (const offset of [0, 1, 2] as const) {
    const middle = shiftedBase64Middle(secret, offset);
    if (middle.length < 8) continue;
    forms.push({ name: `base64 middle at offset ${offset}`, value: middle });
    forms.push({ name: `base64url middle at offset ${offset}`, value: middle.replace(/\+/g, "-").replace(/\//g, "_") });
  }
  const seen = new Set<string>();
  return forms.filter((form) => !seen.has(form.value) && seen.add(form.value) !== undefined);
}

/** Every sighting of any form of `secret` in `contents` (text, or a file's bytes read as UTF-8 and as latin1). */
export function findCanary(secret: string, contents: string | Buffer, where: string): CanarySighting[] {
  const texts = typeof contents === "string" ? [contents] : [contents.toString("utf8"), contents.toString("latin1")];
  const sightings: CanarySighting[] = [];
  for (const form of canaryForms(secret)) {
    for (const text of texts) {
      const index = text.indexOf(form.value);
      if (index < 0) continue;
      const excerpt = `${text.slice(Math.max(0, index - 40), index)}«${form.value}»${text.slice(index + form.value.length, index + form.value.length + 40)}`;
      sightings.push({ where, form: form.name, excerpt: excerpt.replace(/\s+/g, " ") });
      break;
    }
  }
  return sightings;
}

/** Sightings as lines for an assertion's message. */
export function describeSightings(sightings: readonly CanarySighting[]): string {
  return sightings.map((sighting) => `${sighting.where}: ${sighting.form}: ${sighting.excerpt}`).join("\n");
}

/** The encodings of `secret` a misbehaving server may echo, by name; used to script echoing error bodies. */
export function echoedForms(secret: string): Record<string, string> {
  const bytes = Buffer.from(secret, "utf8");
  return {
    "base64 of the key": `received key (base64) ${bytes.toString("base64")}`,
    "base64url of the key": `received key (base64url) ${bytes.toString("base64url")}`,
    "lower-case authorization header": `invalid header authorization: bearer ${secret.toLowerCase()}`,
    "upper-case authorization header": `INVALID HEADER AUTHORIZATION: BEARER ${secret.toUpperCase()}`,
    "basic credentials": `bad credentials: Basic ${Buffer.from(`user:${secret}`).toString("base64")}`,
    "base64 of a JSON blob": `request was ${Buffer.from(JSON.stringify({ headers: { authorization: `Bearer ${secret}` }, model: "m" })).toString("base64")}`,
    "base64 at offset 2": `trace ${Buffer.from(`ab${secret}cd`).toString("base64")}`,
    "lower-case hex": `key hex ${bytes.toString("hex")}`,
    "upper-case hex": `key hex ${bytes.toString("hex").toUpperCase()}`,
    "URL-encoded": `GET /v1/models?api_key=${encodeURIComponent(secret)}&x=1`,
    "form-encoded": `body api_key=${new URLSearchParams({ k: `${secret} ` }).toString().slice(2)}`,
  };
}
