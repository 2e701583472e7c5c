import type { CstNode, DSLMethodOpts, IOrAlt, IParserErrorMessageProvider, IRecognitionException, IToken, OrMethodOpts, ParserMethod, TokenType } from "chevrotain";
import type * as Cst from "./cst.js";
import { CstParser, EOF, defaultParserErrorProvider } from "./chevrotain.js";
import * as T from "./tokens.js";

/**
 * The grammar of one Prose line. Blocks are not part of it: `src/syntax/source-lines.ts` groups
 * lines by their `Indent`/`Dedent` tokens and each line's tokens are parsed with `statement`, so
 * a mistake on one line never hides the lines after it.
 *
 * Rules only recognise shape; meaning is given by `src/syntax/build-statements.ts` and
 * `build-expression.ts`, over the node types `grammar/cst.ts` generates from these rules.
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
  /** What each parse error expected, as chevrotain gives it to the message provider. */
  private readonly expectations: ExpectationRecorder;
  private aggregateChoice?: OrMethodOpts<unknown>;
  private patternChoice?: OrMethodOpts<unknown>;
  private referenceWords?: DSLMethodOpts<unknown>;
  private bareWords?: DSLMethodOpts<unknown>;
  private possessiveWords?: DSLMethodOpts<unknown>;

  /**
   * Chevrotain's grammar validations (ambiguities, left recursion, unused rules…) cost start-up
   * time and find nothing new once the grammar is right, so the parser a script uses skips them;
   * `validate: true` runs them, as `test/grammar/grammar-validation.test.ts` does.
   */
  constructor(options: { validate?: boolean } = {}) {
    const expectations = new ExpectationRecorder();
    super(T.allTokens, { maxLookahead: 2, recoveryEnabled: false, nodeLocationTracking: "full", skipValidations: options.validate !== true, errorMessageProvider: expectations });
    this.expectations = expectations;
    this.performSelfAnalysis();
  }

  statement = this.rule<Cst.StatementCstNode>("statement", () => {
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
        // `validate the following` (or `validate` alone); `validate the invoice` may call `to validate an invoice`.
        { GATE: () => this.startsValidateStatement(), ALT: () => this.SUBRULE(this.validateStatement) },
        { ALT: () => this.SUBRULE(this.ensureStatement) },
        { GATE: () => this.LA(2).tokenType === EOF, ALT: () => this.SUBRULE(this.stopStatement) },
        { ALT: () => this.SUBRULE(this.failStatement) },
        { ALT: () => this.SUBRULE(this.learnStatement) },
        { GATE: () => this.LA(2).tokenType === T.The || this.LA(2).tokenType === T.ProperName, ALT: () => this.SUBRULE(this.setStatement) },
        { ALT: () => this.SUBRULE(this.useStatement) },
        { GATE: () => this.onlyAName(), ALT: () => this.SUBRULE(this.nameLine) },
        { ALT: () => this.SUBRULE(this.assignment) },
        { ALT: () => this.SUBRULE(this.callSentence) },
      ],
    }));
    this.CONSUME(EOF);
  });

  definition = this.rule<Cst.DefinitionCstNode>("definition", () => {
    this.CONSUME(T.To);
    this.AT_LEAST_ONE(() => this.CONSUME(T.LineToken));
  });

  ifLine = this.rule<Cst.IfLineCstNode>("ifLine", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
  });

  otherwiseLine = this.rule<Cst.OtherwiseLineCstNode>("otherwiseLine", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Otherwise) }, { ALT: () => this.CONSUME(T.Else) }]);
    this.OPTION(() => {
      this.CONSUME(T.If);
      this.SUBRULE(this.expression);
    });
  });

  eachLoop = this.rule<Cst.EachLoopCstNode>("eachLoop", () => {
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

  repeatLoop = this.rule<Cst.RepeatLoopCstNode>("repeatLoop", () => {
    this.CONSUME(T.Repeat);
    this.SUBRULE(this.unary);
    this.CONSUME(T.Times);
  });

  sayStatement = this.rule<Cst.SayStatementCstNode>("sayStatement", () => {
    this.CONSUME(T.Say);
    this.SUBRULE(this.expression);
  });

  askStatement = this.rule<Cst.AskStatementCstNode>("askStatement", () => {
    this.CONSUME(T.Ask);
    this.SUBRULE(this.expression);
  });

  validateStatement = this.rule<Cst.ValidateStatementCstNode>("validateStatement", () => {
    this.CONSUME(T.Validate);
    this.OPTION(() => {
      this.CONSUME(T.The);
      this.CONSUME(T.Word);
    });
  });

  ensureStatement = this.rule<Cst.EnsureStatementCstNode>("ensureStatement", () => {
    this.CONSUME(T.Ensure);
    this.SUBRULE(this.expression);
  });

  stopStatement = this.rule<Cst.StopStatementCstNode>("stopStatement", () => {
    this.CONSUME(T.Stop);
  });

  failStatement = this.rule<Cst.FailStatementCstNode>("failStatement", () => {
    this.CONSUME(T.Fail);
    this.OPTION(() => this.SUBRULE(this.expression));
  });

  learnStatement = this.rule<Cst.LearnStatementCstNode>("learnStatement", () => {
    this.CONSUME(T.Learn);
    this.SUBRULE(this.expression);
  });

  setStatement = this.rule<Cst.SetStatementCstNode>("setStatement", () => {
    this.CONSUME(T.Set);
    this.SUBRULE(this.reference);
    this.CONSUME(T.To);
    this.SUBRULE(this.listExpression);
  });

  useStatement = this.rule<Cst.UseStatementCstNode>("useStatement", () => {
    this.CONSUME(T.Use);
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.SUBRULE(this.reference);
  });

  assignment = this.rule<Cst.AssignmentCstNode>("assignment", () => {
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

  /** A line that is only a name: `the order name`, `John's age`, `the above`. */
  nameLine = this.rule<Cst.NameLineCstNode>("nameLine", () => {
    this.SUBRULE(this.reference);
  });

  callSentence = this.rule<Cst.CallSentenceCstNode>("callSentence", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.LineToken));
  });

  // ── Expressions ────────────────────────────────────────────────────────────────────────────

  /** A whole line of expression, as inside `{…}` of a text or a call's argument. */
  expressionOnly = this.rule<Cst.ExpressionOnlyCstNode>("expressionOnly", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(EOF);
  });

  /** A call's argument: one expression or a list. */
  argumentOnly = this.rule<Cst.ArgumentOnlyCstNode>("argumentOnly", () => {
    this.SUBRULE(this.listExpression);
    this.CONSUME(EOF);
  });

  /** After `is`: one expression (where `and` is logical), or items separated by commas. */
  listOrExpression = this.rule<Cst.ListOrExpressionCstNode>("listOrExpression", () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
  });

  /** After `are`, in a call's argument, in choices: items joined by commas and a final `and`. */
  listExpression = this.rule<Cst.ListExpressionCstNode>("listExpression", () => {
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

  expression = this.rule<Cst.ExpressionCstNode>("expression", () => {
    this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpression);
    });
  });

  andExpression = this.rule<Cst.AndExpressionCstNode>("andExpression", () => {
    this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpression);
    });
  });

  notExpression = this.rule<Cst.NotExpressionCstNode>("notExpression", () => {
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

  comparison = this.rule<Cst.ComparisonCstNode>("comparison", () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => this.SUBRULE(this.comparisonTail));
  });

  comparisonTail = this.rule<Cst.ComparisonTailCstNode>("comparisonTail", () => {
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
            {
              ALT: () => {
                this.CONSUME(T.Match);
                this.SUBRULE2(this.patternOperand);
              },
            },
          ]));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Matches);
          this.SUBRULE(this.patternOperand);
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
  isOperator = this.rule<Cst.IsOperatorCstNode>("isOperator", () => {
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
          this.OR4((this.startedChoice ??= [{ ALT: () => this.CONSUME(T.Started) }, { ALT: () => this.CONSUME(T.Ended) }, { ALT: () => this.CONSUME(T.Terminated) }]));
          this.CONSUME(T.By);
          this.SUBRULE4(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.SUBRULE6(this.additive);
        },
      },
      { ALT: () => this.SUBRULE5(this.additive) },
    ]));
  });

  /**
   * After `matches` / `does not match`: `the pattern "…"`, `the regular expression "…"`, or any
   * value (`matches the code format`, or `matches the pattern` alone: the fact `the pattern`).
   */
  patternOperand = this.rule<Cst.PatternOperandCstNode>("patternOperand", () => {
    this.OR((this.patternChoice ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.patternMarkerLength() === 1,
          ALT: () => {
            this.CONSUME(T.The);
            this.CONSUME(T.Word);
            this.SUBRULE(this.additive);
          },
        },
        {
          GATE: () => this.patternMarkerLength() === 2,
          ALT: () => {
            this.CONSUME2(T.The);
            this.CONSUME2(T.Word);
            this.CONSUME3(T.Word);
            this.SUBRULE2(this.additive);
          },
        },
        { ALT: () => this.SUBRULE3(this.additive) },
      ],
    }));
  });

  additive = this.rule<Cst.AdditiveCstNode>("additive", () => {
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

  multiplicative = this.rule<Cst.MultiplicativeCstNode>("multiplicative", () => {
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

  unary = this.rule<Cst.UnaryCstNode>("unary", () => {
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

  primary = this.rule<Cst.PrimaryCstNode>("primary", () => {
    this.OR((this.primaryChoice ??= {
      // `the number of …` and `the number` differ only at the third token.
      MAX_LOOKAHEAD: 3,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          // `the credential "crm token"`: a named secret of the agent (its value never shows).
          GATE: () => this.LA(1).tokenType === T.The && isCredentialWord(this.LA(2)) && this.LA(3).tokenType === T.Text,
          ALT: () => {
            this.CONSUME(T.The, { LABEL: "credentialThe" });
            this.CONSUME2(T.Word, { LABEL: "credentialWord" });
            this.CONSUME2(T.Text, { LABEL: "credentialName" });
          },
        },
        { ALT: () => this.CONSUME(T.Text) },
        {
          ALT: () => {
            this.CONSUME(T.NumberLiteral);
            // `the maximum length is 800 tokens`: a count of tokens is that number (LLM block lines).
            this.OPTION2({ GATE: () => isTokensWord(this.LA(1)), DEF: () => this.CONSUME(T.Word, { LABEL: "tokensWord" }) });
          },
        },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Nothing) },
        { ALT: () => this.CONSUME(T.DateWord) },
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.SUBRULE(this.aggregate) },
        { ALT: () => this.SUBRULE(this.reference) },
      ],
    }));
    this.OPTION({ GATE: () => this.startsRefinement(), DEF: () => this.SUBRULE(this.listRefinement) });
  });

  /** `the number of vendors`, `the sum of the totals`. */
  aggregate = this.rule<Cst.AggregateCstNode>("aggregate", () => {
    this.CONSUME(T.The);
    this.CONSUME(T.Aggregate);
    this.CONSUME(T.Of);
    this.OR((this.aggregateChoice ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        // `the number of days between the start and the end`: a count of days, not of a list.
        {
          GATE: () => isWordSpelt(this.LA(1), "days") && isWordSpelt(this.LA(2), "between"),
          ALT: () => {
            this.CONSUME(T.Word, { LABEL: "daysWord" });
            this.CONSUME2(T.Word, { LABEL: "betweenWord" });
            this.SUBRULE(this.additive, { LABEL: "from" });
            this.CONSUME(T.And);
            this.SUBRULE2(this.additive, { LABEL: "to" });
          },
        },
        { ALT: () => this.SUBRULE(this.reference) },
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.CONSUME(T.Text) },
        { ALT: () => this.SUBRULE(this.bareName) },
      ],
    }));
    this.OPTION({ GATE: () => this.startsRefinement(), DEF: () => this.SUBRULE(this.listRefinement) });
  });

  /**
   * What may follow a value: `of the claims` (`the totals of the claims` reads as
   * `the claims' totals`), and a filter, `whose status is "open"`, which belongs to the last
   * name before it (src/syntax/build-filter.ts).
   */
  listRefinement = this.rule<Cst.ListRefinementCstNode>("listRefinement", () => {
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() => {
            this.CONSUME(T.Of);
            this.SUBRULE(this.reference);
          });
          this.OPTION(() => this.SUBRULE(this.whoseFilter));
        },
      },
      { ALT: () => this.SUBRULE2(this.whoseFilter) },
    ]);
  });

  /** `whose total is greater than $1,000 and status is "open"`: conditions on each item's attributes. */
  whoseFilter = this.rule<Cst.WhoseFilterCstNode>("whoseFilter", () => {
    this.CONSUME(T.Whose);
    this.SUBRULE(this.filterCondition);
  });

  /** A further `or …` / `and …` belongs to the filter only when an attribute name (a word without `the`) or `(` and one follows. */
  filterCondition = this.rule<Cst.FilterConditionCstNode>("filterCondition", () => {
    this.SUBRULE(this.filterConjunction);
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Or && this.startsFilterPart(2),
      DEF: () => {
        this.CONSUME(T.Or);
        this.SUBRULE2(this.filterConjunction);
      },
    });
  });

  filterConjunction = this.rule<Cst.FilterConjunctionCstNode>("filterConjunction", () => {
    this.SUBRULE(this.filterPart);
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.And && this.startsFilterPart(2),
      DEF: () => {
        this.CONSUME(T.And);
        this.SUBRULE2(this.filterPart);
      },
    });
  });

  filterPart = this.rule<Cst.FilterPartCstNode>("filterPart", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LeftParen);
          this.SUBRULE(this.filterCondition);
          this.CONSUME(T.RightParen);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.bareName);
          this.SUBRULE(this.comparisonTail);
        },
      },
    ]);
  });

  /**
   * `( … )`: a condition or calculation grouped (`(the a or the b) and the c`), or a list when
   * it holds commas (`("ann", "bob" and "cy")`).
   */
  group = this.rule<Cst.GroupCstNode>("group", () => {
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
  bareName = this.rule<Cst.BareNameCstNode>("bareName", () => {
    this.AT_LEAST_ONE((this.bareWords ??= { GATE: () => this.continuesName(), DEF: () => this.CONSUME(T.Word) }));
    this.MANY(() => this.SUBRULE(this.possessiveTail));
  });

  /** `the invoice`, `the first vendor`, `the customer's address's city`. */
  reference = this.rule<Cst.ReferenceCstNode>("reference", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.The);
          this.AT_LEAST_ONE((this.referenceWords ??= { GATE: () => this.continuesName(), DEF: () => this.CONSUME(T.Word) }));
        },
      },
      // `John's age`: a proper name owns facts without `the` (the lexer makes it only before `'s`).
      { ALT: () => this.CONSUME(T.ProperName) },
    ]);
    this.MANY(() => this.SUBRULE(this.possessiveTail));
  });

  /** `'s total`, or a field name in quotes, `'s "tax id"` (a field a document's reader asks the model for). */
  possessiveTail = this.rule<Cst.PossessiveTailCstNode>("possessiveTail", () => {
    this.CONSUME(T.Possessive);
    this.OR([
      { ALT: () => this.AT_LEAST_ONE((this.possessiveWords ??= { GATE: () => this.continuesName(), DEF: () => this.CONSUME(T.Word) })) },
      { ALT: () => this.CONSUME(T.Text, { LABEL: "quotedName" }) },
    ]);
  });

  /**
   * `RULE`, typed with the node the rule builds (from `grammar/cst.ts`, which chevrotain
   * generates from these rules): the name written here must be that node's name.
   */
  private rule<Node extends CstNode>(name: Node["name"], implementation: () => void): ParserMethod<[], Node> {
    return this.RULE(name, implementation) as ParserMethod<[], CstNode> as ParserMethod<[], Node>;
  }

  /** `the order name` or `John's age` and nothing after: a line that is only a name (looks ahead over the line once). */
  private onlyAName(): boolean {
    let at = 1;
    const first = this.LA(at).tokenType;
    if (first === T.The) {
      at++;
      if (!this.isWordAt(at)) return false;
      while (this.isWordAt(at)) at++;
    } else if (first === T.ProperName) {
      at++;
      if (this.LA(at).tokenType !== T.Possessive) return false;
    } else {
      return false;
    }
    while (this.LA(at).tokenType === T.Possessive) {
      at++;
      if (!this.isWordAt(at)) return false;
      while (this.isWordAt(at)) at++;
    }
    return this.LA(at).tokenType === EOF;
  }

  private isWordAt(at: number): boolean {
    return this.LA(at).tokenType.CATEGORIES?.includes(T.Word) === true;
  }

  private startsValidateStatement(): boolean {
    return this.LA(2).tokenType === EOF || this.LA(3).image.toLowerCase() === "following";
  }

  private startsAskTheModel(): boolean {
    return this.LA(2).tokenType === T.The && this.LA(3).image.toLowerCase() === "model";
  }

  /**
   * Whether the next word still belongs to a name: a name stops before `of the …` (the totals
   * of the claims) and before `matches` followed by a value (`the code matches the pattern …`).
   */
  private continuesName(): boolean {
    const next = this.LA(1).tokenType;
    if (next === T.Of) return this.LA(2).tokenType !== T.The;
    if (next === T.Matches) return !this.startsValue(this.LA(2));
    return true;
  }

  private startsRefinement(): boolean {
    const next = this.LA(1).tokenType;
    return next === T.Whose || (next === T.Of && this.LA(2).tokenType === T.The);
  }

  /** An attribute name (a word that is not a literal such as `yes` or `today`), or `(` and one. */
  private startsFilterPart(at: number): boolean {
    let position = at;
    while (this.LA(position).tokenType === T.LeftParen) position++;
    const type: TokenType = this.LA(position).tokenType;
    return (type.CATEGORIES?.includes(T.Word) ?? false) && !literalWords.has(type);
  }

  /** 1 after `matches the pattern` and 2 after `matches the regular expression` when a value follows; 0 otherwise. */
  private patternMarkerLength(): number {
    if (this.LA(1).tokenType !== T.The) return 0;
    const first = this.LA(2).image.toLowerCase();
    if (first === "pattern" && this.startsValue(this.LA(3))) return 1;
    if (first === "regular" && this.LA(3).image.toLowerCase() === "expression" && this.startsValue(this.LA(4))) return 2;
    return 0;
  }

  private startsValue(token: IToken): boolean {
    const type: TokenType = token.tokenType;
    return valueStarters.has(type);
  }

  /** Parses one line (its tokens, without `Newline`) with the given rule. */
  parseWith<R extends CstNode>(tokens: IToken[], rule: () => R): { cst: R; errors: ParseProblem[] } {
    this.input = tokens;
    this.expectations.clear();
    const cst = rule();
    const errors = this.errors.length === 0 ? [] : this.errors.map((problem) => this.problemOf(problem));
    return { cst, errors };
  }

  private problemOf(problem: IRecognitionException): ParseProblem {
    return {
      kind: problemKinds[problem.name] ?? "mismatched-token",
      expected: this.expectations.expectedAt(problem.token),
      token: problem.token,
      ruleStack: problem.context.ruleStack,
      message: problem.message,
    };
  }
}

/** Why a line did not parse, as chevrotain's recognition errors tell it. */
export type ParseProblemKind = "mismatched-token" | "no-viable-alternative" | "early-exit" | "not-all-input-parsed";

const problemKinds: Record<string, ParseProblemKind> = {
  MismatchedTokenException: "mismatched-token",
  NoViableAltException: "no-viable-alternative",
  EarlyExitException: "early-exit",
  NotAllInputParsedException: "not-all-input-parsed",
};

/** One parse error, as data: what was found, what could have come instead, in which rules. */
export interface ParseProblem {
  kind: ParseProblemKind;
  /** The token types that could have come where `token` is (each first token of a path chevrotain expected). */
  expected: readonly TokenType[];
  /** The token found instead (`EOF` when the line ended). */
  token: IToken;
  /** The rules being read, outermost first. */
  ruleStack: string[];
  /** Chevrotain's own text, for debugging: messages for the writer are made from the fields above. */
  message: string;
}

/**
 * Chevrotain gives a message provider, not the error, what was expected; this one keeps that for
 * the token it was expected at, and leaves the text to chevrotain's default provider.
 */
class ExpectationRecorder implements IParserErrorMessageProvider {
  private readonly expected = new Map<IToken, TokenType[]>();

  clear(): void {
    if (this.expected.size > 0) this.expected.clear();
  }

  expectedAt(token: IToken): TokenType[] {
    return this.expected.get(token) ?? [];
  }

  buildMismatchTokenMessage(options: Parameters<IParserErrorMessageProvider["buildMismatchTokenMessage"]>[0]): string {
    this.expected.set(options.actual, [options.expected]);
    return defaultParserErrorProvider.buildMismatchTokenMessage(options);
  }

  buildNotAllInputParsedMessage(options: Parameters<IParserErrorMessageProvider["buildNotAllInputParsedMessage"]>[0]): string {
    this.expected.set(options.firstRedundant, [EOF]);
    return defaultParserErrorProvider.buildNotAllInputParsedMessage(options);
  }

  buildNoViableAltMessage(options: Parameters<IParserErrorMessageProvider["buildNoViableAltMessage"]>[0]): string {
    this.expected.set(options.actual[0], firstTokens(options.expectedPathsPerAlt.flat()));
    return defaultParserErrorProvider.buildNoViableAltMessage(options);
  }

  buildEarlyExitMessage(options: Parameters<IParserErrorMessageProvider["buildEarlyExitMessage"]>[0]): string {
    this.expected.set(options.actual[0], firstTokens(options.expectedIterationPaths));
    return defaultParserErrorProvider.buildEarlyExitMessage(options);
  }
}

function firstTokens(paths: readonly TokenType[][]): TokenType[] {
  return [...new Set(paths.flatMap((path) => path.slice(0, 1)))];
}

const literalWords = new Set<TokenType>([T.True, T.False, T.Nothing, T.DateWord]);

const valueStarters = new Set<TokenType>([
  T.Text, T.NumberLiteral, T.True, T.False, T.Nothing, T.DateWord, T.LeftParen, T.The, T.ProperName, T.MinusSign,
]);

let sharedParser: ProseParser | undefined;

/** One parser serves every file: chevrotain parsers are reusable once built. */
export function proseParser(): ProseParser {
  sharedParser ??= new ProseParser();
  return sharedParser;
}

/** `tokens` (or `token`) after a number: the unit of an LLM procedure's `the maximum length`. */
function isCredentialWord(token: IToken): boolean {
  return token.tokenType === T.Identifier && token.image.toLowerCase() === "credential";
}

function isTokensWord(token: IToken): boolean {
  const word = token.image.toLowerCase();
  return token.tokenType === T.Identifier && (word === "tokens" || word === "token");
}

/** A plain word with this spelling (`days`, `between` in `the number of days between …`). */
function isWordSpelt(token: IToken, spelling: string): boolean {
  return token.tokenType === T.Identifier && token.image.toLowerCase() === spelling;
}
