import type { Fact } from "./values.js";

/**
 * Facts by name. A procedure call and each iteration of a parallel loop get their own scope;
 * reading falls back to the enclosing one, writing stays local.
 */
export class Scope {
  readonly facts = new Map<string, Fact>();

  constructor(readonly parent?: Scope) {}

  lookup(name: string): Fact | undefined {
    let scope: Scope | undefined = this;
    while (scope) {
      const found = scope.facts.get(name);
      if (found) return found;
      scope = scope.parent;
    }
    return undefined;
  }

  set(name: string, fact: Fact): void {
    this.facts.set(name, fact);
  }
}
