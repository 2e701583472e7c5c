/**
 * Recognises values that look like secrets, so that a key typed where it does not belong (as an
 * argument, where `ps` and the shell history would keep it) is refused before anything is saved.
 */

/** Prefixes of well-known credentials: OpenAI, Anthropic, Google, AWS, GitHub, Slack, Hugging Face, JWTs. */
const knownPrefixes = /(?:^|[^A-Za-z0-9])(sk-[A-Za-z0-9_-]{12,}|sk_(live|test)_[A-Za-z0-9]{12,}|AIza[0-9A-Za-z_-]{20,}|(AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|hf_[A-Za-z0-9]{20,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/;

/** Private keys and service-account JSON pasted whole. */
const pastedDocuments = /-----BEGIN [A-Z ]*PRIVATE KEY-----|"private_key"\s*:/;

/** URL parts that carry credentials: `user:password@`, `?api-key=…`, `&token=…`. */
const credentialParameters = /[?&](api[-_]?key|key|token|access[-_]?token|secret|password|sig|signature|code)=/i;

/**
 * Whether the value looks like a credential: a known prefix, a private key, a URL with a password
 * or a key parameter, or a long random-looking run of letters and digits (32 hex characters of an
 * Azure key, a 40-character AWS secret). Model names such as `claude-3-5-haiku-20241022` are not.
 */
export function looksLikeSecret(value: string): boolean {
  if (knownPrefixes.test(value) || pastedDocuments.test(value)) return true;
  if (/^https?:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password !== "" || credentialParameters.test(url.search)) return true;
    } catch {
      // Not a URL after all: judged as plain text below.
    }
  }
  return value.split(/[\s\-_.:,;/@?&=#]+/).some(randomLooking) || value.split(/\s+/).some(base64Looking);
}

/** 32 or more hex digits (an Azure key), or 20 or more letters and digits that change class often, like a random key. */
function randomLooking(piece: string): boolean {
  if (piece.length < 20 || !/^[A-Za-z0-9]+$/.test(piece)) return false;
  const digits = piece.replace(/[^0-9]/g, "").length;
  const letters = piece.length - digits;
  if (piece.length >= 32 && /^([0-9a-f]+|[0-9A-F]+)$/.test(piece) && digits >= 4 && letters >= 4) return true;
  return digits >= 3 && letters >= 3 && classChangeRatio(piece) >= 0.45;
}

/** 30 or more characters of mixed-case base64 with digits, random-looking: an AWS secret access key. */
function base64Looking(piece: string): boolean {
  return piece.length >= 30 && /^[A-Za-z0-9+/=]+$/.test(piece) && /[a-z]/.test(piece) && /[A-Z]/.test(piece) && /[0-9]/.test(piece) && classChangeRatio(piece) >= 0.4;
}

/** How often neighbouring characters change between digit, lower case, upper case and other: about 0.6 for random text, 0.35 for CamelCase words. */
function classChangeRatio(piece: string): number {
  const classOf = (character: string) => (/[0-9]/.test(character) ? 0 : /[a-z]/.test(character) ? 1 : /[A-Z]/.test(character) ? 2 : 3);
  let changes = 0;
  for (let index = 1; index < piece.length; index += 1) if (classOf(piece[index]) !== classOf(piece[index - 1])) changes += 1;
  return changes / (piece.length - 1);
}

/** The text with every secret-looking word replaced by `[hidden]`, for echoing command-line mistakes. */
export function hideSecretLookingWords(text: string): string {
  return text.replace(/[^\s'"`,]+/g, (word) => (looksLikeSecret(word) ? "[hidden]" : word));
}
