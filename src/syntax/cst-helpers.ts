import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Span } from "./span.js";

/**
 * Small, typed access to chevrotain's CST, so the builders read like the grammar. The node types
 * are those `grammar/cst.ts` generates from the grammar: a child's name that no rule records is
 * a compile error, and so is a rule or token renamed in the grammar but not here.
 */

type ChildrenOf<Node extends CstNode> = Node["children"];
type ElementOf<Node extends CstNode, Name extends keyof ChildrenOf<Node>> = NonNullable<ChildrenOf<Node>[Name]> extends ReadonlyArray<infer Element> ? Element : never;

/** The names a node records its child nodes under (rules it calls). */
export type NodeNames<Node extends CstNode> = { [Name in keyof ChildrenOf<Node>]-?: ElementOf<Node, Name> extends CstNode ? Name : never }[keyof ChildrenOf<Node>] & string;

/** The names a node records its tokens under (token types it consumes). */
export type TokenNames<Node extends CstNode> = { [Name in keyof ChildrenOf<Node>]-?: ElementOf<Node, Name> extends IToken ? Name : never }[keyof ChildrenOf<Node>] & string;

export function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

export function child<Node extends CstNode, Name extends NodeNames<Node>>(node: Node, name: Name): ElementOf<Node, Name> | undefined {
  return (node.children as Record<string, ElementOf<Node, Name>[] | undefined>)[name]?.[0];
}

export function children<Node extends CstNode, Name extends NodeNames<Node>>(node: Node, name: Name): ElementOf<Node, Name>[] {
  return (node.children as Record<string, ElementOf<Node, Name>[] | undefined>)[name] ?? [];
}

export function token<Node extends CstNode>(node: Node, name: TokenNames<Node>): IToken | undefined {
  return (node.children as Record<string, IToken[] | undefined>)[name]?.[0];
}

export function tokens<Node extends CstNode>(node: Node, name: TokenNames<Node>): IToken[] {
  return (node.children as Record<string, IToken[] | undefined>)[name] ?? [];
}

/** Every token below a node, in source order. */
export function allTokensOf(node: CstNode): IToken[] {
  const found: IToken[] = [];
  const pending: CstNode[] = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    for (const list of Object.values(next.children)) {
      for (const element of list) {
        if (isToken(element)) found.push(element);
        else pending.push(element);
      }
    }
  }
  return found.sort((a, b) => a.startOffset - b.startOffset);
}

/** The first child (node or token) in source order, with the name it was recorded under. */
export function orderedChildren(node: CstNode): Array<{ name: string; element: CstElement }> {
  const list: Array<{ name: string; element: CstElement; offset: number }> = [];
  for (const [name, elements] of Object.entries(node.children)) {
    for (const element of elements) {
      const offset = isToken(element) ? element.startOffset : (element.location?.startOffset ?? 0);
      list.push({ name, element, offset });
    }
  }
  return list.sort((a, b) => a.offset - b.offset).map(({ name, element }) => ({ name, element }));
}

export function tokenSpan(file: string, first: IToken, last: IToken = first): Span {
  return {
    file,
    start: { line: first.startLine ?? 1, column: first.startColumn ?? 1, offset: first.startOffset },
    end: {
      line: last.endLine ?? last.startLine ?? 1,
      column: (last.endColumn ?? last.startColumn ?? 1) + 1,
      offset: (last.endOffset ?? last.startOffset) + 1,
    },
  };
}

export function nodeSpan(file: string, node: CstNode): Span {
  const location = node.location;
  if (!location || Number.isNaN(location.startOffset)) {
    const all = allTokensOf(node);
    return all.length > 0 ? tokenSpan(file, all[0], all[all.length - 1]) : { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  }
  return {
    file,
    start: { line: location.startLine ?? 1, column: location.startColumn ?? 1, offset: location.startOffset },
    end: {
      line: location.endLine ?? location.startLine ?? 1,
      column: (location.endColumn ?? location.startColumn ?? 1) + 1,
      offset: (location.endOffset ?? location.startOffset) + 1,
    },
  };
}
