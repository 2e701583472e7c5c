// Generated from grammar/parser.ts by chevrotain's generateCstDts: do not edit.
// After changing a rule, run `npm run cst-types`; test/grammar/cst-types.test.ts fails until then.

import type { CstNode, IToken } from "chevrotain";

export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  definition?: DefinitionCstNode[];
  ifLine?: IfLineCstNode[];
  otherwiseLine?: OtherwiseLineCstNode[];
  eachLoop?: EachLoopCstNode[];
  repeatLoop?: RepeatLoopCstNode[];
  sayStatement?: SayStatementCstNode[];
  askStatement?: AskStatementCstNode[];
  validateStatement?: ValidateStatementCstNode[];
  ensureStatement?: EnsureStatementCstNode[];
  stopStatement?: StopStatementCstNode[];
  failStatement?: FailStatementCstNode[];
  learnStatement?: LearnStatementCstNode[];
  setStatement?: SetStatementCstNode[];
  useStatement?: UseStatementCstNode[];
  nameLine?: NameLineCstNode[];
  assignment?: AssignmentCstNode[];
  callSentence?: CallSentenceCstNode[];
  EOF: IToken[];
};

export interface DefinitionCstNode extends CstNode {
  name: "definition";
  children: DefinitionCstChildren;
}

export type DefinitionCstChildren = {
  To: IToken[];
  LineToken: IToken[];
};

export interface IfLineCstNode extends CstNode {
  name: "ifLine";
  children: IfLineCstChildren;
}

export type IfLineCstChildren = {
  If: IToken[];
  expression: ExpressionCstNode[];
};

export interface OtherwiseLineCstNode extends CstNode {
  name: "otherwiseLine";
  children: OtherwiseLineCstChildren;
}

export type OtherwiseLineCstChildren = {
  Otherwise?: IToken[];
  Else?: IToken[];
  If?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface EachLoopCstNode extends CstNode {
  name: "eachLoop";
  children: EachLoopCstChildren;
}

export type EachLoopCstChildren = {
  Process?: IToken[];
  For?: IToken[];
  Each: IToken[];
  Word: IToken[];
  In?: (IToken)[];
  expression?: ExpressionCstNode[];
  Parallel?: IToken[];
};

export interface RepeatLoopCstNode extends CstNode {
  name: "repeatLoop";
  children: RepeatLoopCstChildren;
}

export type RepeatLoopCstChildren = {
  Repeat: IToken[];
  unary: UnaryCstNode[];
  Times: IToken[];
};

export interface SayStatementCstNode extends CstNode {
  name: "sayStatement";
  children: SayStatementCstChildren;
}

export type SayStatementCstChildren = {
  Say: IToken[];
  expression: ExpressionCstNode[];
};

export interface AskStatementCstNode extends CstNode {
  name: "askStatement";
  children: AskStatementCstChildren;
}

export type AskStatementCstChildren = {
  Ask: IToken[];
  expression: ExpressionCstNode[];
};

export interface ValidateStatementCstNode extends CstNode {
  name: "validateStatement";
  children: ValidateStatementCstChildren;
}

export type ValidateStatementCstChildren = {
  Validate: IToken[];
  The?: IToken[];
  Word?: IToken[];
};

export interface EnsureStatementCstNode extends CstNode {
  name: "ensureStatement";
  children: EnsureStatementCstChildren;
}

export type EnsureStatementCstChildren = {
  Ensure: IToken[];
  expression: ExpressionCstNode[];
};

export interface StopStatementCstNode extends CstNode {
  name: "stopStatement";
  children: StopStatementCstChildren;
}

export type StopStatementCstChildren = {
  Stop: IToken[];
};

export interface FailStatementCstNode extends CstNode {
  name: "failStatement";
  children: FailStatementCstChildren;
}

export type FailStatementCstChildren = {
  Fail: IToken[];
  expression?: ExpressionCstNode[];
};

export interface LearnStatementCstNode extends CstNode {
  name: "learnStatement";
  children: LearnStatementCstChildren;
}

export type LearnStatementCstChildren = {
  Learn: IToken[];
  expression: ExpressionCstNode[];
};

export interface SetStatementCstNode extends CstNode {
  name: "setStatement";
  children: SetStatementCstChildren;
}

export type SetStatementCstChildren = {
  Set: IToken[];
  reference: ReferenceCstNode[];
  To: IToken[];
  listExpression: ListExpressionCstNode[];
};

export interface UseStatementCstNode extends CstNode {
  name: "useStatement";
  children: UseStatementCstChildren;
}

export type UseStatementCstChildren = {
  Use: IToken[];
  expression: ExpressionCstNode[];
  As: IToken[];
  reference: ReferenceCstNode[];
};

export interface AssignmentCstNode extends CstNode {
  name: "assignment";
  children: AssignmentCstChildren;
}

export type AssignmentCstChildren = {
  reference: ReferenceCstNode[];
  Is?: IToken[];
  listOrExpression?: ListOrExpressionCstNode[];
  Are?: IToken[];
  listExpression?: ListExpressionCstNode[];
};

export interface NameLineCstNode extends CstNode {
  name: "nameLine";
  children: NameLineCstChildren;
}

export type NameLineCstChildren = {
  reference: ReferenceCstNode[];
};

export interface CallSentenceCstNode extends CstNode {
  name: "callSentence";
  children: CallSentenceCstChildren;
}

export type CallSentenceCstChildren = {
  LineToken: IToken[];
};

export interface ExpressionOnlyCstNode extends CstNode {
  name: "expressionOnly";
  children: ExpressionOnlyCstChildren;
}

export type ExpressionOnlyCstChildren = {
  expression: ExpressionCstNode[];
  EOF: IToken[];
};

export interface ArgumentOnlyCstNode extends CstNode {
  name: "argumentOnly";
  children: ArgumentOnlyCstChildren;
}

export type ArgumentOnlyCstChildren = {
  listExpression: ListExpressionCstNode[];
  EOF: IToken[];
};

export interface ListOrExpressionCstNode extends CstNode {
  name: "listOrExpression";
  children: ListOrExpressionCstChildren;
}

export type ListOrExpressionCstChildren = {
  expression: (ExpressionCstNode)[];
  Comma?: IToken[];
};

export interface ListExpressionCstNode extends CstNode {
  name: "listExpression";
  children: ListExpressionCstChildren;
}

export type ListExpressionCstChildren = {
  comparison: (ComparisonCstNode)[];
  Comma?: IToken[];
  And?: (IToken)[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  andExpression: (AndExpressionCstNode)[];
  Or?: IToken[];
};

export interface AndExpressionCstNode extends CstNode {
  name: "andExpression";
  children: AndExpressionCstChildren;
}

export type AndExpressionCstChildren = {
  notExpression: (NotExpressionCstNode)[];
  And?: IToken[];
};

export interface NotExpressionCstNode extends CstNode {
  name: "notExpression";
  children: NotExpressionCstChildren;
}

export type NotExpressionCstChildren = {
  Not?: IToken[];
  notExpression?: NotExpressionCstNode[];
  comparison?: ComparisonCstNode[];
};

export interface ComparisonCstNode extends CstNode {
  name: "comparison";
  children: ComparisonCstChildren;
}

export type ComparisonCstChildren = {
  additive: AdditiveCstNode[];
  comparisonTail?: ComparisonTailCstNode[];
};

export interface ComparisonTailCstNode extends CstNode {
  name: "comparisonTail";
  children: ComparisonTailCstChildren;
}

export type ComparisonTailCstChildren = {
  Is?: IToken[];
  Not?: (IToken)[];
  isOperator?: IsOperatorCstNode[];
  LessOrEqual?: IToken[];
  GreaterOrEqual?: IToken[];
  NotEqual?: IToken[];
  LessSign?: IToken[];
  GreaterSign?: IToken[];
  EqualSign?: IToken[];
  additive?: (AdditiveCstNode)[];
  Contains?: IToken[];
  Does?: IToken[];
  Contain?: IToken[];
  Exist?: IToken[];
  Match?: IToken[];
  patternOperand?: (PatternOperandCstNode)[];
  Matches?: IToken[];
  Starts?: IToken[];
  With?: (IToken)[];
  Ends?: IToken[];
  Exists?: IToken[];
};

export interface IsOperatorCstNode extends CstNode {
  name: "isOperator";
  children: IsOperatorCstChildren;
}

export type IsOperatorCstChildren = {
  Greater?: IToken[];
  More?: IToken[];
  Than?: (IToken)[];
  additive?: (AdditiveCstNode)[];
  Less?: IToken[];
  At?: IToken[];
  Least?: IToken[];
  Most?: IToken[];
  Empty?: IToken[];
  Started?: IToken[];
  Ended?: IToken[];
  Terminated?: IToken[];
  By?: IToken[];
  In?: IToken[];
};

export interface PatternOperandCstNode extends CstNode {
  name: "patternOperand";
  children: PatternOperandCstChildren;
}

export type PatternOperandCstChildren = {
  The?: (IToken)[];
  Word?: (IToken)[];
  additive?: (AdditiveCstNode)[];
};

export interface AdditiveCstNode extends CstNode {
  name: "additive";
  children: AdditiveCstChildren;
}

export type AdditiveCstChildren = {
  multiplicative: (MultiplicativeCstNode)[];
  Plus?: IToken[];
  PlusSign?: IToken[];
  Minus?: IToken[];
  MinusSign?: IToken[];
};

export interface MultiplicativeCstNode extends CstNode {
  name: "multiplicative";
  children: MultiplicativeCstChildren;
}

export type MultiplicativeCstChildren = {
  unary: (UnaryCstNode)[];
  Times?: IToken[];
  Star?: IToken[];
  Slash?: IToken[];
  Multiplied?: IToken[];
  By?: (IToken)[];
  Divided?: IToken[];
};

export interface UnaryCstNode extends CstNode {
  name: "unary";
  children: UnaryCstChildren;
}

export type UnaryCstChildren = {
  MinusSign?: IToken[];
  unary?: UnaryCstNode[];
  primary?: PrimaryCstNode[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  credentialThe?: IToken[];
  credentialWord?: IToken[];
  credentialName?: IToken[];
  Text?: IToken[];
  NumberLiteral?: IToken[];
  tokensWord?: IToken[];
  True?: IToken[];
  False?: IToken[];
  Nothing?: IToken[];
  DateWord?: IToken[];
  group?: GroupCstNode[];
  aggregate?: AggregateCstNode[];
  reference?: ReferenceCstNode[];
  listRefinement?: ListRefinementCstNode[];
};

export interface AggregateCstNode extends CstNode {
  name: "aggregate";
  children: AggregateCstChildren;
}

export type AggregateCstChildren = {
  The: IToken[];
  Aggregate: IToken[];
  Of: IToken[];
  daysWord?: IToken[];
  betweenWord?: IToken[];
  from?: AdditiveCstNode[];
  And?: IToken[];
  to?: AdditiveCstNode[];
  reference?: ReferenceCstNode[];
  group?: GroupCstNode[];
  Text?: IToken[];
  bareName?: BareNameCstNode[];
  listRefinement?: ListRefinementCstNode[];
};

export interface ListRefinementCstNode extends CstNode {
  name: "listRefinement";
  children: ListRefinementCstChildren;
}

export type ListRefinementCstChildren = {
  Of?: IToken[];
  reference?: ReferenceCstNode[];
  whoseFilter?: (WhoseFilterCstNode)[];
};

export interface WhoseFilterCstNode extends CstNode {
  name: "whoseFilter";
  children: WhoseFilterCstChildren;
}

export type WhoseFilterCstChildren = {
  Whose: IToken[];
  filterCondition: FilterConditionCstNode[];
};

export interface FilterConditionCstNode extends CstNode {
  name: "filterCondition";
  children: FilterConditionCstChildren;
}

export type FilterConditionCstChildren = {
  filterConjunction: (FilterConjunctionCstNode)[];
  Or?: IToken[];
};

export interface FilterConjunctionCstNode extends CstNode {
  name: "filterConjunction";
  children: FilterConjunctionCstChildren;
}

export type FilterConjunctionCstChildren = {
  filterPart: (FilterPartCstNode)[];
  And?: IToken[];
};

export interface FilterPartCstNode extends CstNode {
  name: "filterPart";
  children: FilterPartCstChildren;
}

export type FilterPartCstChildren = {
  LeftParen?: IToken[];
  filterCondition?: FilterConditionCstNode[];
  RightParen?: IToken[];
  bareName?: BareNameCstNode[];
  comparisonTail?: ComparisonTailCstNode[];
};

export interface GroupCstNode extends CstNode {
  name: "group";
  children: GroupCstChildren;
}

export type GroupCstChildren = {
  LeftParen: IToken[];
  expression: (ExpressionCstNode)[];
  Comma?: IToken[];
  And?: IToken[];
  RightParen: IToken[];
};

export interface BareNameCstNode extends CstNode {
  name: "bareName";
  children: BareNameCstChildren;
}

export type BareNameCstChildren = {
  Word: IToken[];
  possessiveTail?: PossessiveTailCstNode[];
};

export interface ReferenceCstNode extends CstNode {
  name: "reference";
  children: ReferenceCstChildren;
}

export type ReferenceCstChildren = {
  The?: IToken[];
  Word?: IToken[];
  ProperName?: IToken[];
  possessiveTail?: PossessiveTailCstNode[];
};

export interface PossessiveTailCstNode extends CstNode {
  name: "possessiveTail";
  children: PossessiveTailCstChildren;
}

export type PossessiveTailCstChildren = {
  Possessive: IToken[];
  Word?: IToken[];
  quotedName?: IToken[];
};
