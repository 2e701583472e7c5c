import type { CstNode, DSLMethodOpts, IOrAlt, IToken, OrMethodOpts, TokenType } from "chevrotain";
import { CstParser, EOF } from "./chevrotain.js";
import * as T from "./tokens.js";

/**
 * The grammar of one Prose line. Blocks are not part of it: the line splitter in
 * `src/syntax/source-lines.ts` groups lines by their `Indent`/`Dedent` tokens, and
 * `src/syntax/build-statements.ts` hands each line's tokens to `statement`, so a mistake on one
 * line never hides the lines after it.
 *
 * Rules only recognise shape; meaning is given by `src/syntax/build-statements.ts` and
 * `src/syntax/build-expression.ts`.
 */
export class ProseParser extends CstParser {
  // Alternatives are built on first use and kept: chevrotain only reads them, and building
  // them anew at every call (objects and closures) made up much of what parsing allocated.
  private statementChoice?: OrMethodOpts<unknown>;
  private notChoice?: IOrAlt<unknown>[];
  private comparisonChoice?: IOrAlt<unknown>[];
  private symbolChoice?: IOrAlt<unknown>[];
  private doesNotChoice?: IOrAlt<unknown>[];
  private isChoice?: IOrAlt<unknown>[];
  private greaterChoice?: IOrAlt<unknown>[];
  private atChoice?: IOrAlt<unknown>[];
  private startedChoice?: IOrAlt<unknown>[];
  private additiveChoice?: IOrAlt<unknown>[];
  private productRepetition?: DSLMethodOpts<unknown>;
  private multiplicativeChoice?: IOrAlt<unknown>[];
  private unaryChoice?: IOrAlt<unknown>[];
  private primaryChoice?: OrMethodOpts<unknown>;
  private aggregateChoice?: OrMethodOpts<unknown>;

  constructor() {
    super(T.allTokens, { maxLookahead: 2, recoveryEnabled: false, nodeLocationTracking: "full", skipValidations: true });
    this.performSelfAnalysis();
  }

  statement = this.RULE("statement", () => {
    this.OR((this.statementChoice ??= {
      // The first word decides; gates settle the few lines that start alike. A longer
      // lookahead over "any token" (call sentences) would make the analysis explode.
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.definition) },
        { ALT: () => this.SUBRULE(this.ifLine) },
        { ALT: () => this.SUBRULE(this.otherwiseLine) },
        { ALT: () => this.SUBRULE(this.eachLoop) },
        { ALT: () => this.SUBRULE(this.repeatLoop) },
        { ALT: () => this.SUBRULE(this.sayStatement) },
        { GATE: () => !this.startsAskTheModel(), ALT: () => this.SUBRULE(this.askStatement) },
        { ALT: () => this.SUBRULE(this.validateStatement) },
        { ALT: () => this.SUBRULE(this.ensureStatement) },
        { GATE: () => this.LA(2).tokenType === EOF, ALT: () => this.SUBRULE(this.stopStatement) },
        { ALT: () => this.SUBRULE(this.failStatement) },
        { ALT: () => this.SUBRULE(this.learnStatement) },
        { GATE: () => this.LA(2).tokenType === T.The, ALT: () => this.SUBRULE(this.setStatement) },
        { ALT: () => this.SUBRULE(this.useStatement) },
        { ALT: () => this.SUBRULE(this.assignment) },
        { ALT: () => this.SUBRULE(this.callSentence) },
      ],
    }));
    this.CONSUME(EOF);
  });

  definition = this.RULE("definition", () => {
    this.CONSUME(T.To);
    this.AT_LEAST_ONE(() => this.CONSUME(T.LineToken));
  });

  ifLine = this.RULE("ifLine", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
  });

  otherwiseLine = this.RULE("otherwiseLine", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Otherwise) }, { ALT: () => this.CONSUME(T.Else) }]);
    this.OPTION(() => {
      this.CONSUME(T.If);
      this.SUBRULE(this.expression);
    });
  });

  eachLoop = this.RULE("eachLoop", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Process) }, { ALT: () => this.CONSUME(T.For) }]);
    this.CONSUME(T.Each);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word));
    this.OPTION(() => {
      this.CONSUME(T.In);
      this.SUBRULE(this.expression);
    });
    this.OPTION2(() => {
      this.CONSUME2(T.In);
      this.CONSUME(T.Parallel);
    });
  });

  repeatLoop = this.RULE("repeatLoop", () => {
    this.CONSUME(T.Repeat);
    this.SUBRULE(this.unary);
    this.CONSUME(T.Times);
  });

  sayStatement = this.RULE("sayStatement", () => {
    this.CONSUME(T.Say);
    this.SUBRULE(this.expression);
  });

  askStatement = this.RULE("askStatement", () => {
    this.CONSUME(T.Ask);
    this.SUBRULE(this.expression);
  });

  validateStatement = this.RULE("validateStatement", () => {
    this.CONSUME(T.Validate);
    this.OPTION(() => {
      this.CONSUME(T.The);
      this.CONSUME(T.Word);
    });
  });

  ensureStatement = this.RULE("ensureStatement", () => {
    this.CONSUME(T.Ensure);
    this.SUBRULE(this.expression);
  });

  stopStatement = this.RULE("stopStatement", () => {
    this.CONSUME(T.Stop);
  });

  failStatement = this.RULE("failStatement", () => {
    this.CONSUME(T.Fail);
    this.OPTION(() => this.SUBRULE(this.expression));
  });

  learnStatement = this.RULE("learnStatement", () => {
    this.CONSUME(T.Learn);
    this.SUBRULE(this.expression);
  });

  setStatement = this.RULE("setStatement", () => {
    this.CONSUME(T.Set);
    this.SUBRULE(this.reference);
    this.CONSUME(T.To);
    this.SUBRULE(this.listExpression);
  });

  useStatement = this.RULE("useStatement", () => {
    this.CONSUME(T.Use);
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.SUBRULE(this.reference);
  });

  assignment = this.RULE("assignment", () => {
    this.SUBRULE(this.reference);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.SUBRULE(this.listOrExpression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Are);
          this.SUBRULE(this.listExpression);
        },
      },
    ]);
  });

  callSentence = this.RULE("callSentence", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.LineToken));
  });

  // ── Expressions ────────────────────────────────────────────────────────────────────────────

  /** A whole line of expression, as inside `{…}` of a text or a call's argument. */
  expressionOnly = this.RULE("expressionOnly", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(EOF);
  });

  /** A call's argument: one expression or a list. */
  argumentOnly = this.RULE("argumentOnly", () => {
    this.SUBRULE(this.listExpression);
    this.CONSUME(EOF);
  });

  /** After `is`: one expression (where `and` is logical), or items separated by commas. */
  listOrExpression = this.RULE("listOrExpression", () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
  });

  /** After `are`, in a call's argument, in choices: items joined by commas and a final `and`. */
  listExpression = this.RULE("listExpression", () => {
    this.SUBRULE(this.comparison);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Comma);
            this.OPTION(() => this.CONSUME(T.And));
          },
        },
        { ALT: () => this.CONSUME2(T.And) },
      ]);
      this.SUBRULE2(this.comparison);
    });
  });

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpression);
    });
  });

  andExpression = this.RULE("andExpression", () => {
    this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpression);
    });
  });

  notExpression = this.RULE("notExpression", () => {
    this.OR((this.notChoice ??= [
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]));
  });

  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => this.SUBRULE(this.comparisonTail));
  });

  comparisonTail = this.RULE("comparisonTail", () => {
    this.OR((this.comparisonChoice ??= [
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OPTION(() => this.CONSUME(T.Not));
          this.SUBRULE(this.isOperator);
        },
      },
      {
        ALT: () => {
          this.OR2((this.symbolChoice ??= [
            { ALT: () => this.CONSUME(T.LessOrEqual) },
            { ALT: () => this.CONSUME(T.GreaterOrEqual) },
            { ALT: () => this.CONSUME(T.NotEqual) },
            { ALT: () => this.CONSUME(T.LessSign) },
            { ALT: () => this.CONSUME(T.GreaterSign) },
            { ALT: () => this.CONSUME(T.EqualSign) },
          ]));
          this.SUBRULE(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Contains);
          this.SUBRULE2(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Does);
          this.CONSUME2(T.Not);
          this.OR3((this.doesNotChoice ??= [
            {
              ALT: () => {
                this.CONSUME(T.Contain);
                this.SUBRULE3(this.additive);
              },
            },
            { ALT: () => this.CONSUME(T.Exist) },
          ]));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Starts);
          this.CONSUME(T.With);
          this.SUBRULE4(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Ends);
          this.CONSUME2(T.With);
          this.SUBRULE5(this.additive);
        },
      },
      { ALT: () => this.CONSUME(T.Exists) },
    ]));
  });

  /** What may follow `is` / `is not` in a condition. */
  isOperator = this.RULE("isOperator", () => {
    this.OR((this.isChoice ??= [
      {
        ALT: () => {
          this.OR2((this.greaterChoice ??= [{ ALT: () => this.CONSUME(T.Greater) }, { ALT: () => this.CONSUME(T.More) }]));
          this.CONSUME(T.Than);
          this.SUBRULE(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Less);
          this.CONSUME2(T.Than);
          this.SUBRULE2(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.OR3((this.atChoice ??= [{ ALT: () => this.CONSUME(T.Least) }, { ALT: () => this.CONSUME(T.Most) }]));
          this.SUBRULE3(this.additive);
        },
      },
      { ALT: () => this.CONSUME(T.Empty) },
      {
        ALT: () => {
          this.OR4((this.startedChoice ??= [{ ALT: () => this.CONSUME(T.Started) }, { ALT: () => this.CONSUME(T.Ended) }]));
          this.CONSUME(T.By);
          this.SUBRULE4(this.additive);
        },
      },
      { ALT: () => this.SUBRULE5(this.additive) },
    ]));
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR((this.additiveChoice ??= [
        { ALT: () => this.CONSUME(T.Plus) },
        { ALT: () => this.CONSUME(T.PlusSign) },
        { ALT: () => this.CONSUME(T.Minus) },
        { ALT: () => this.CONSUME(T.MinusSign) },
      ]));
      this.SUBRULE2(this.multiplicative);
    });
  });

  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary);
    this.MANY((this.productRepetition ??= {
      // `repeat 3 times` ends with `times`: only a following value makes it a product.
      GATE: () => this.LA(1).tokenType !== T.Times || this.startsValue(this.LA(2)),
      DEF: () => {
        this.OR((this.multiplicativeChoice ??= [
          { ALT: () => this.CONSUME(T.Times) },
          { ALT: () => this.CONSUME(T.Star) },
          { ALT: () => this.CONSUME(T.Slash) },
          {
            ALT: () => {
              this.CONSUME(T.Multiplied);
              this.CONSUME(T.By);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Divided);
              this.CONSUME2(T.By);
            },
          },
        ]));
        this.SUBRULE2(this.unary);
      },
    }));
  });

  unary = this.RULE("unary", () => {
    this.OR((this.unaryChoice ??= [
      {
        ALT: () => {
          this.CONSUME(T.MinusSign);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]));
  });

  primary = this.RULE("primary", () => {
    this.OR((this.primaryChoice ??= {
      // `the number of …` and `the number` differ only at the third token.
      MAX_LOOKAHEAD: 3,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(T.Text) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Nothing) },
        { ALT: () => this.CONSUME(T.DateWord) },
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.SUBRULE(this.aggregate) },
        { ALT: () => this.SUBRULE(this.reference) },
      ],
    }));
  });

  /** `the number of vendors`, `the sum of the totals`. */
  aggregate = this.RULE("aggregate", () => {
    this.CONSUME(T.The);
    this.CONSUME(T.Aggregate);
    this.CONSUME(T.Of);
    this.OR((this.aggregateChoice ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.reference) },
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.CONSUME(T.Text) },
        { ALT: () => this.SUBRULE(this.bareName) },
      ],
    }));
  });

  /**
   * `( … )`: a condition or calculation grouped (`(the a or the b) and the c`), or a list when
   * it holds commas (`("ann", "bob" and "cy")`).
   */
  group = this.RULE("group", () => {
    this.CONSUME(T.LeftParen);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.OPTION(() => this.CONSUME(T.And));
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RightParen);
  });

  /** A plural name without its article, as in `the number of vendors`. */
  bareName = this.RULE("bareName", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word));
    this.MANY(() => this.SUBRULE(this.possessiveTail));
  });

  /** `the invoice`, `the first vendor`, `the customer's address's city`. */
  reference = this.RULE("reference", () => {
    this.CONSUME(T.The);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word));
    this.MANY(() => this.SUBRULE(this.possessiveTail));
  });

  possessiveTail = this.RULE("possessiveTail", () => {
    this.CONSUME(T.Possessive);
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word));
  });

  private startsAskTheModel(): boolean {
    return this.LA(2).tokenType === T.The && this.LA(3).image.toLowerCase() === "model";
  }

  private startsValue(token: IToken): boolean {
    const type: TokenType = token.tokenType;
    return valueStarters.has(type);
  }

  /** Parses one line (its tokens, without `Newline`) with the given rule. */
  parseWith<R extends CstNode>(tokens: IToken[], rule: () => R): { cst: R; errors: ParseProblem[] } {
    this.input = tokens;
    const cst = rule();
    const errors = this.errors.map((problem) => ({ message: problem.message, token: problem.token, ruleStack: problem.context.ruleStack }));
    return { cst, errors };
  }
}

export interface ParseProblem {
  message: string;
  token: IToken;
  ruleStack: string[];
}

const valueStarters = new Set<TokenType>([
  T.Text, T.NumberLiteral, T.True, T.False, T.Nothing, T.DateWord, T.LeftParen, T.The, T.MinusSign,
]);

let sharedParser: ProseParser | undefined;

/** One parser serves every file: chevrotain parsers are reusable once built. */
export function proseParser(): ProseParser {
  sharedParser ??= new ProseParser();
  return sharedParser;
}
