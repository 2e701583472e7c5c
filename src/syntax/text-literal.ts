import { isSingleQuoted } from "../../grammar/quoted-text.js";

export type TextPiece = { kind: "plain"; text: string } | { kind: "code"; code: string; offset: number };

export interface SplitText {
  pieces: TextPiece[];
  problems: Array<{ offset: number; length: number; message: string; fix: string }>;
}

/**
 * Splits the image of a text literal (quotes included) into plain pieces and the source of
 * `{…}` interpolations. Escapes: `\"`, `\\`, `\n`, `\t`; `{{` and `}}` are literal braces.
 * A `{` starts a value only when a word, a number (or `-`, `$`, `€`, `£`) or a `(` follows it;
 * any other `{` — `{"`, `{\"`, `{}` — is a literal brace, and so is the `}` that closes it, so
 * `"{\"code\": 38}"` is the text `{"code": 38}`. Text in single quotes is taken as written: no
 * values inside, and no escape but `\'`.
 */
export function splitTextLiteral(image: string): SplitText {
  const body = image.slice(1, image.length - 1);
  if (isSingleQuoted(image)) return { pieces: body === "" ? [] : [{ kind: "plain", text: body.replace(/\\'/g, "'") }], problems: [] };
  const pieces: TextPiece[] = [];
  const problems: SplitText["problems"] = [];
  /** Literal `{` not yet closed: the `}` that closes each is a literal brace too. */
  let openBraces = 0;
  let plain = "";
  let index = 0;
  const flushPlain = () => {
    if (plain !== "") pieces.push({ kind: "plain", text: plain });
    plain = "";
  };
  while (index < body.length) {
    const character = body[index];
    if (character === "\\" && index + 1 < body.length) {
      const next = body[index + 1];
      plain += next === "n" ? "\n" : next === "t" ? "\t" : next;
      index += 2;
    } else if (character === "{" && body[index + 1] === "{") {
      plain += "{";
      index += 2;
    } else if (character === "{" && !valueFollows(body, index + 1)) {
      plain += "{";
      openBraces += 1;
      index += 1;
    } else if (character === "}" && openBraces > 0) {
      plain += "}";
      openBraces -= 1;
      index += 1;
    } else if (character === "}" && body[index + 1] === "}") {
      plain += "}";
      index += 2;
    } else if (character === "{") {
      const close = body.indexOf("}", index + 1);
      if (close < 0) {
        problems.push({ offset: index + 1, length: 1, message: "This `{` opens a value inside the text but is never closed.", fix: "fix: close it with `}`, or write `{{` for a brace." });
        plain += body.slice(index);
        break;
      }
      flushPlain();
      pieces.push({ kind: "code", code: body.slice(index + 1, close), offset: index + 2 });
      index = close + 1;
    } else if (character === "}") {
      problems.push({ offset: index + 1, length: 1, message: "This `}` closes nothing.", fix: "fix: write `}}` for a brace in a text." });
      plain += "}";
      index += 1;
    } else {
      plain += character;
      index += 1;
    }
  }
  flushPlain();
  return { pieces, problems };
}

/** A word, a number (`-` and a currency sign included) or a `(` after optional spaces: what starts a value inside `{…}`. */
function valueFollows(body: string, from: number): boolean {
  let index = from;
  while (body[index] === " ") index += 1;
  return index < body.length && /[\p{L}\p{N}(\-$€£]/u.test(body[index]);
}
