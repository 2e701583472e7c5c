import { describe, expect, it } from "vitest";
import { shellWords, stepsOf } from "../support/doc-examples.js";

/** The conventions the doc-examples test reads pages by: no example is silently left unrun. */
const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\``;

describe("the examples of a page", () => {
  it("a prose fence and the output fence after it make a run of example.prose", () => {
    const page = [fence("prose", 'say "hi"'), fence("output", "hi")].join("\n");
    expect(stepsOf(page)).toEqual([
      { kind: "write", line: 1, file: "example.prose", text: 'say "hi"\n' },
      { kind: "run", line: 1, argv: ["run", "example.prose"], expected: "hi", modelAnswers: [] },
    ]);
  });

  it("a prose fence with neither output, check nor a console fence that runs it is reported", () => {
    expect(stepsOf(fence("prose", 'say "hi"')).filter((step) => step.kind === "unchecked")).toHaveLength(1);
    expect(stepsOf(fence("prose named.prose", 'say "hi"')).filter((step) => step.kind === "unchecked")).toHaveLength(1);
    expect(stepsOf(fence("prose check", 'say "hi"')).map((step) => step.kind)).toEqual(["write", "check"]);
  });

  it("a console fence runs each `$ prose` line, with the lines after it as what it shows", () => {
    const page = [fence("prose a.prose", 'say "hi"'), fence("console", '$ prose run a.prose --answer "the x=1"\nhi\n$ prose check a.prose\na.prose: no problems found')].join("\n");
    const runs = stepsOf(page).filter((step) => step.kind === "run");
    expect(runs).toMatchObject([
      { argv: ["run", "a.prose", "--answer", "the x=1"], expected: "hi" },
      { argv: ["check", "a.prose"], expected: "a.prose: no problems found" },
    ]);
    expect(stepsOf(fence("console", "$ npm install")).map((step) => step.kind)).toEqual(["unchecked"]);
  });

  it("model answers written before an example go to the run that needs them", () => {
    const inline = ["<!-- model answers: one -->", "<!-- model answers: two -->", fence("prose", "x"), fence("output", "y")].join("\n");
    expect(stepsOf(inline).find((step) => step.kind === "run")).toMatchObject({ modelAnswers: ["one", "two"] });
    const named = ["<!-- model answers: three -->", fence("prose a.prose", "x"), fence("console", "$ prose run a.prose\ny")].join("\n");
    expect(stepsOf(named).find((step) => step.kind === "run")).toMatchObject({ modelAnswers: ["three"] });
  });

  it("any fence named with a file writes it", () => {
    expect(stepsOf(fence("csv claims.csv", "id\nC-1"))).toEqual([{ kind: "write", line: 1, file: "claims.csv", text: "id\nC-1\n" }]);
  });

  it("splits a command as a shell does", () => {
    expect(shellWords(`prose run a.prose --answer "the vendor's email=x@y.z" --input 'the n=1'`)).toEqual(["prose", "run", "a.prose", "--answer", "the vendor's email=x@y.z", "--input", "the n=1"]);
  });
});
