/**
 * Splits the image of a text literal (quotes included) into plain pieces and the source of
 * `{…}` interpolations. Escapes: `\"`, `\\`, `\n`, `\t`; `{{` and `}}` are literal braces.
 */
export type TextPiece = { kind: "plain"; text: string } | { kind: "code"; code: string; offset: number };

export interface SplitText {
  pieces: TextPiece[];
  problems: Array<{ offset: number; length: number; message: string; fix: string }>;
}

export function splitTextLiteral(image: string): SplitText {
  const pieces: TextPiece[] = [];
  const problems: SplitText["problems"] = [];
  const body = image.slice(1, image.length - 1);
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
      const code = body.slice(index + 1, close);
      if (code.trim() === "") {
        problems.push({ offset: index + 1, length: close - index + 1, message: "This `{}` holds no value.", fix: "fix: put a name inside, like {the total}, or write {{ for a brace." });
      } else {
        pieces.push({ kind: "code", code, offset: index + 2 });
      }
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
