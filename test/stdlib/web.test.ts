import { describe, expect, it } from "vitest";
import type { WebRequest, WebResponse } from "../../src/runtime/web-request.js";
import { WebRequestFailed } from "../../src/runtime/web-request.js";
import { runScript } from "../support/run-script.js";

/** A request function that records what the runtime asked and answers as told. */
function recorder(answer: (request: WebRequest) => Partial<WebResponse> = () => ({})) {
  const asked: WebRequest[] = [];
  const request = async (given: WebRequest): Promise<WebResponse> => {
    asked.push(given);
    return { url: given.url, status: 200, headers: { "content-type": "application/json" }, body: "{}", ...answer(given) };
  };
  return { asked, request };
}

const secrets = new Set(["crm token"]);
const hasSecret = async (name: string) => secrets.has(name.toLowerCase());

describe("send a request to / get the url (the runtime's side)", () => {
  it("asks the run context for the request as written: method, JSON body, headers, timeout", async () => {
    const { asked, request } = recorder(() => ({ status: 201, body: '{"id": "L-7", "Due_Date": "2026-05-01"}', headers: { "content-type": "application/json; charset=utf-8", "x-trace": "t1" } }));
    const outcome = await runScript(
      [
        'the lead\'s name is "Ada"',
        "the lead's tags are \"vip\" and \"new\"",
        'send a request to "https://crm.example.com/leads"',
        '    the method is "patch"',
        "    the body is the lead",
        '    the header "X-Source" is "prose {1 + 1}"',
        "    the timeout is 2.5",
        "say the response's status",
        "say the response's body's id",
        "say the response's body's due date",
        "say the response's headers's x-trace",
      ].join("\n"),
      { request, hasSecret },
    );
    expect(outcome.formatted.join("\n") + JSON.stringify(outcome.result?.error)).toBe("null");
    expect(outcome.said).toEqual(["201", "L-7", "2026-05-01", "t1"]);
    expect(asked).toEqual([
      {
        url: "https://crm.example.com/leads",
        method: "PATCH",
        headers: [["x-source", "prose 2"]],
        secretHeaders: [],
        body: { text: JSON.stringify({ name: "Ada", tags: ["vip", "new"] }), contentType: "application/json" },
        timeoutMilliseconds: 2500,
      },
    ]);
  });

  it("gives the request a credential's name, never a value: Bearer for the block line, as written for a header line", async () => {
    const { asked, request } = recorder();
    const outcome = await runScript(
      [
        'get the url "https://crm.example.com/a"',
        '    the credential is "CRM  Token"',
        'get the url "https://crm.example.com/b"',
        '    the header "X-Api-Key" is the credential "crm token"',
        '    the credential is "crm token"',
        'the key is the credential "crm token"',
        'say "key: {the key}"',
      ].join("\n"),
      { request, hasSecret },
    );
    expect(outcome.formatted.join("\n") + JSON.stringify(outcome.result?.error)).toBe("null");
    expect(asked.map((given) => given.secretHeaders)).toEqual([[{ header: "authorization", secret: "crm token", prefix: "Bearer " }], [{ header: "x-api-key", secret: "crm token", prefix: "" }]]);
    expect(outcome.said).toEqual(["key: [secret]"]);
  });

  it("encodes a value put into the address after its host, and uses one before it as it is", async () => {
    const { asked, request } = recorder();
    const outcome = await runScript(
      [
        'the base is "https://crm.example.com/api"',
        'the email is "ada+news@example.com"',
        'the team is "R&D / Paris"',
        'get the url "{the base}/teams/{the team}?email={the email}&limit={10}"',
        'the address is "https://crm.example.com/find?q={the email}"',
        "get the url the address",
      ].join("\n"),
      { request },
    );
    expect(outcome.formatted).toEqual([]);
    expect(asked.map((given) => given.url)).toEqual([
      "https://crm.example.com/api/teams/R%26D%20%2F%20Paris?email=ada%2Bnews%40example.com&limit=10",
      // A text made first is the address as it reads: a fact holds no record of its `{…}` values.
      "https://crm.example.com/find?q=ada+news@example.com",
    ]);
  });

  it("keeps a text body as text, and a non-JSON answer as its text", async () => {
    const { asked, request } = recorder(() => ({ headers: { "content-type": "text/html" }, body: "<p>{not json}</p>" }));
    const outcome = await runScript(['send a request to "http://127.0.0.1:8080/hook"', '    the method is "POST"', '    the body is "hello"', "say the response's body"].join("\n"), { request });
    expect(asked[0]?.body).toEqual({ text: "hello", contentType: "text/plain; charset=utf-8" });
    expect(outcome.said).toEqual(["<p>{not json}</p>"]);
  });

  it("stops at a status outside 200–299 naming the URL and status, unless the failure is allowed", async () => {
    const { request } = recorder(() => ({ status: 503, body: "busy", headers: {} }));
    const failed = await runScript('get the url "https://api.example.com/x"', { request });
    expect(failed.result?.error?.message).toBe("The request to https://api.example.com/x failed: the server answered 503 (service unavailable).");
    const allowed = await runScript(['get the url "https://api.example.com/x"', "    the failure is allowed", "say the response's status"].join("\n"), { request });
    expect(allowed.said).toEqual(["503"]);
  });

  it("says what to do when the run may send no request, the secret does not exist, or the request fails", async () => {
    const none = await runScript('get the url "https://api.example.com/x"');
    expect(none.result?.error?.message).toBe("This run may not send web requests, so it cannot reach api.example.com.");
    expect(none.result?.error?.fix).toBe("fix: run it with --allow-net api.example.com.");

    const { asked, request } = recorder();
    const unknown = await runScript(['get the url "https://api.example.com/x"', '    the credential is "other"'].join("\n"), { request, hasSecret });
    expect(unknown.result?.error?.message).toBe('This agent has no secret named "other".');
    expect(asked).toEqual([]);

    const refused = await runScript('get the url "https://api.example.com/x"', {
      request: async () => {
        throw new WebRequestFailed("I can't reach api.example.com:443 for https://api.example.com/x: that host name is not known.", "fix: check the address.");
      },
    });
    expect(refused.result?.error?.message).toBe("I can't reach api.example.com:443 for https://api.example.com/x: that host name is not known.");
  });

  it("refuses what cannot be a request: a body on a GET, an unknown method, an address that is not http(s), a bad timeout", async () => {
    const { asked, request } = recorder();
    const cases: Array<[string, string]> = [
      ['send a request to "https://a.example/x"\n    the body is "x"', "A GET request has no body, but this one has `the body`."],
      ['send a request to "https://a.example/x"\n    the method is "FETCH"', '"FETCH" is not a web request method.'],
      ['get the url "ftp://a.example/x"', '"ftp://a.example/x" is not an http or https address.'],
      ['get the url "not an address"', '"not an address" is not a web address.'],
      ['get the url "https://a.example/x"\n    the timeout is 0', '`the timeout` must be a number of seconds from more than 0 up to 3600, but it is "0".'],
      ['get the url "https://a.example/x"\n    the header is "X-A: one"', "`the header` needs the header's name in quotes."],
      ['get the url "https://a.example/x"\n    the header "X-A" is "one\\ntwo"', 'The header "x-a" holds a line break, which a header cannot.'],
    ];
    for (const [source, message] of cases) {
      const outcome = await runScript(source, { request });
      expect(outcome.result?.error?.message, source).toBe(message);
    }
    expect(asked).toEqual([]);
  });
});
