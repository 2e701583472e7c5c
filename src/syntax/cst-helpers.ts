import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Span } from "./span.js";

/** Small, typed access to chevrotain's CST, so the builders read like the grammar. */

export function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

export function child(node: CstNode, name: string): CstNode | undefined {
  const found = node.children[name]?.[0];
  return found && !isToken(found) ? found : undefined;
}

export function children(node: CstNode, name: string): CstNode[] {
  return (node.children[name] ?? []).filter((element): element is CstNode => !isToken(element));
}

export function token(node: CstNode, name: string): IToken | undefined {
  const found = node.children[name]?.[0];
  return found && isToken(found) ? found : undefined;
}

export function tokens(node: CstNode, name: string): IToken[] {
  return (node.children[name] ?? []).filter(isToken);
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
