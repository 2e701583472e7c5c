import { describe, expect, it } from "vitest";
import { hostAndPort, NetPolicy, NetPolicyProblem } from "../../src/cli/net-policy.js";

const allows = (given: string[], url: string) => new NetPolicy(given).allows(new URL(url));

describe("--allow-net", () => {
  it("allows no host without the flag, loopback included", () => {
    expect(allows([], "http://127.0.0.1:8080/")).toBe(false);
    expect(allows([], "http://localhost/")).toBe(false);
  });

  it("allows a host on any port, a host:port on that port only, and * any host", () => {
    expect(allows(["api.example.com"], "https://api.example.com/x")).toBe(true);
    expect(allows(["API.Example.com"], "http://api.example.com:8080/x")).toBe(true);
    expect(allows(["api.example.com"], "https://other.example.com/x")).toBe(false);
    expect(allows(["api.example.com"], "https://sub.api.example.com/x")).toBe(false);
    expect(allows(["127.0.0.1:8080"], "http://127.0.0.1:8080/")).toBe(true);
    expect(allows(["127.0.0.1:8080"], "http://127.0.0.1:8081/")).toBe(false);
    expect(allows(["example.com:443"], "https://example.com/")).toBe(true);
    expect(allows(["example.com:80"], "https://example.com/")).toBe(false);
    expect(allows(["[::1]:9000"], "http://[::1]:9000/")).toBe(true);
    expect(allows(["localhost"], "http://127.0.0.1/")).toBe(false);
    expect(allows(["*"], "https://anything.example/")).toBe(true);
  });

  it("refuses what is not a host", () => {
    for (const wrong of ["http://x.example", "bad host", "a.example:99999", "a.example:0", ""]) expect(() => new NetPolicy([wrong]), wrong).toThrow(NetPolicyProblem);
  });

  it("names host and port, with the scheme's port when none is written", () => {
    expect(hostAndPort(new URL("https://api.example.com/x"))).toBe("api.example.com:443");
    expect(hostAndPort(new URL("http://api.example.com/x"))).toBe("api.example.com:80");
    expect(hostAndPort(new URL("http://127.0.0.1:8080/x"))).toBe("127.0.0.1:8080");
  });
});
