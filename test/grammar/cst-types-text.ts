import { generateCstDts } from "../../grammar/chevrotain.js";
import { ProseParser } from "../../grammar/parser.js";

/**
 * The text of `grammar/cst.ts`: the CST node types chevrotain's `generateCstDts` derives from
 * the parser's rules, under a header saying how to make it again. `npm run cst-types` writes it;
 * `cst-types.test.ts` fails when the checked-in file is not what the grammar gives.
 */
export function cstTypesText(): string {
  const generated = generateCstDts(new ProseParser().getGAstProductions(), { includeVisitorInterface: false });
  return `${header}${generated.replace(/^import type \{ CstNode, ICstVisitor, IToken \}/, "import type { CstNode, IToken }").trimEnd()}\n`;
}

const header = `// Generated from grammar/parser.ts by chevrotain's generateCstDts: do not edit.
// After changing a rule, run \`npm run cst-types\`; test/grammar/cst-types.test.ts fails until then.

`;
