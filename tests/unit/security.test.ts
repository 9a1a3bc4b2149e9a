import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../helper/cli/main";
import { SERVE_USAGE } from "../../helper/cli/serve-command";
import { loadSettings, readTokenFile } from "../../helper/config/settings";
import { currentScope, handleFault, installProcessGuard, runInScope } from "../../helper/server/process-guard";
import { decodePathSegment, parseRequestTarget } from "../../helper/server/request-target";
import { checkAccess, hostName, isLocalHost, isOriginAllowed, tokenMatches } from "../../helper/server/security";

const local = { lan: false, allowedOrigins: ["http://localhost:5173"] };

describe("who may talk to the helper", () => {
  it("reads host names out of Host headers", () => {
    expect(hostName("localhost:8001")).toBe("localhost");
    expect(hostName("[::1]:8001")).toBe("[::1]");
    expect(hostName("127.0.0.1")).toBe("127.0.0.1");
  });
  it("accepts only local Host names (DNS rebinding)", () => {
    for (const h of ["localhost:8001", "127.0.0.1:8001", "[::1]:8001", "LOCALHOST"]) expect(isLocalHost(h)).toBe(true);
    for (const h of ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:8001", undefined])
      expect(isLocalHost(h)).toBe(false);
  });
  it("accepts panels and tools without an Origin, and only listed web origins (CSWSH)", () => {
    expect(isOriginAllowed(undefined, local)).toBe(true);
    expect(isOriginAllowed("uxp://com.cuesmith.panel", local)).toBe(true);
    expect(isOriginAllowed("http://localhost:5173", local)).toBe(true);
    expect(isOriginAllowed("https://evil.example", local)).toBe(false);
    expect(isOriginAllowed("http://localhost:9999", local)).toBe(false);
    expect(isOriginAllowed("null", local)).toBe(false);
  });
  it("checks a whole request", () => {
    expect(checkAccess({ headers: { host: "127.0.0.1:8001" } }, local)).toBeNull();
    expect(checkAccess({ headers: { host: "evil.example" } }, local)?.status).toBe(403);
    expect(checkAccess({ headers: { host: "localhost", origin: "https://evil.example" } }, local)?.status).toBe(403);
  });
  it("requires the token in LAN mode: a bearer header anywhere, ?token= only on a WebSocket handshake", () => {
    const lan = { lan: true, token: "s3cret", allowedOrigins: [] };
    const query = (q: string) => new URLSearchParams(q);
    expect(checkAccess({ headers: { host: "192.168.1.5:8001" } }, lan, query("token=s3cret"))).toBeNull();
    expect(checkAccess({ headers: { host: "studio:8001", authorization: "Bearer s3cret" } }, lan)).toBeNull();
    expect(checkAccess({ headers: { host: "studio:8001" } }, lan, query("token=nope"))?.status).toBe(401);
    expect(checkAccess({ headers: { host: "studio:8001" } }, lan)?.status).toBe(401);
    // a plain HTTP request passes no query: the token in its URL is not looked at
    expect(checkAccess({ headers: { host: "studio:8001", authorization: "Basic s3cret" } }, lan)?.status).toBe(401);
  });
  it("compares tokens by their hashes, and any token passes when none is set", () => {
    expect(tokenMatches("a", "a")).toBe(true);
    expect(tokenMatches("a", "ab")).toBe(false);
    expect(tokenMatches("ab", "a")).toBe(false);
    expect(tokenMatches("x".repeat(10_000), "a")).toBe(false); // different lengths compare without throwing
    expect(tokenMatches("日本", "日本")).toBe(true);
    expect(tokenMatches(null, "a")).toBe(false);
    expect(tokenMatches(undefined, undefined)).toBe(true);
  });
});

describe("the --lan token's sources", () => {
  const home = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-token-"));
  it("reads a token file, trimmed, and refuses an empty or missing one", () => {
    const dir = home();
    fs.writeFileSync(path.join(dir, "t"), "  s3cret\n");
    expect(readTokenFile(path.join(dir, "t"))).toBe("s3cret");
    fs.writeFileSync(path.join(dir, "empty"), "\n");
    expect(() => readTokenFile(path.join(dir, "empty"))).toThrow(/empty/);
    expect(() => readTokenFile(path.join(dir, "nope"))).toThrow(/ENOENT/);
  });
  it("takes CUESMITH_TOKEN over config.json, and a flag over both", () => {
    const h = home();
    fs.writeFileSync(path.join(h, "config.json"), JSON.stringify({ token: "from-config" }));
    expect(loadSettings({ lan: true }, { CUESMITH_HOME: h }).token).toBe("from-config");
    expect(loadSettings({ lan: true }, { CUESMITH_HOME: h, CUESMITH_TOKEN: " from-env " }).token).toBe("from-env");
    expect(
      loadSettings({ lan: true, token: "from-flag" }, { CUESMITH_HOME: h, CUESMITH_TOKEN: "from-env" }).token,
    ).toBe("from-flag");
    expect(() => loadSettings({ lan: true }, { CUESMITH_HOME: home() })).toThrow(/--token-file PATH, CUESMITH_TOKEN/);
  });
});

describe("`cuesmith serve` token options", () => {
  const run = async (args: string[]) => {
    const err: string[] = [];
    const code = await main(["serve", ...args], { out: () => {}, err: (l) => err.push(l) });
    return { code, err: err.join("\n") };
  };
  it("refuses --token with --token-file, and a token file it cannot use, before starting anything", async () => {
    expect(await run(["--lan", "--token", "a", "--token-file", "b"])).toEqual({
      code: 2,
      err: "cuesmith: give --token or --token-file, not both",
    });
    const missing = await run(["--lan", "--token-file", path.join(os.tmpdir(), "cuesmith-no-such-token")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the token file .*ENOENT/);
  });
  it("names every token source in its usage text", () => {
    for (const s of ["--token-file PATH", "CUESMITH_TOKEN", "--token TOKEN", "Authorization: Bearer", "?token="])
      expect(SERVE_USAGE).toContain(s);
  });
});

describe("request targets", () => {
  it("reads origin-form and absolute-form targets, and answers null (never throws) for bad ones", () => {
    expect(parseRequestTarget("/report?since=7d")?.searchParams.get("since")).toBe("7d");
    expect(parseRequestTarget("http://127.0.0.1:8001/health")?.pathname).toBe("/health");
    expect(parseRequestTarget("//evil.example/health")?.pathname).toBe("//evil.example/health"); // a path, not a host
    expect(parseRequestTarget("/presets/rainy%20city?x=[1]")?.pathname).toBe("/presets/rainy%20city");
    for (const bad of [
      "//[",
      "/a b",
      "/ui/<x>",
      "http://[::1:8001/health",
      "http://[/",
      "*",
      "health",
      "",
      undefined,
      "ftp://x/",
    ]) {
      expect(parseRequestTarget(bad)).toBeNull();
    }
  });
  it("decodes %-escapes in a path segment, null for malformed ones", () => {
    expect(decodePathSegment("rainy%20city")).toBe("rainy city");
    for (const bad of ["%", "%zz", "%E0%A4%A"]) expect(decodePathSegment(bad)).toBeNull();
  });
});

describe("the process guard", () => {
  it("logs a fault with its scope's id and closes that scope's connection", () => {
    const lines: string[] = [];
    const close = jest.fn();
    handleFault("uncaught exception", new Error("boom"), (l) => lines.push(l), { id: "ws#7", close });
    expect(close).toHaveBeenCalledTimes(1);
    expect(lines[0]).toMatch(/^uncaught exception in ws#7; closing that connection, still serving: Error: boom/);
    handleFault("unhandled rejection", "plain reason", (l) => lines.push(l), undefined);
    expect(lines[1]).toMatch(/unhandled rejection in \(no request or connection\); nothing to close.*plain reason/);
  });
  it("never throws, even when the logger or the close does", () => {
    const scope = {
      id: "http#1",
      close: () => {
        throw new Error("already closed");
      },
    };
    expect(() =>
      handleFault(
        "uncaught exception",
        new Error("x"),
        () => {
          throw new Error("log down");
        },
        scope,
      ),
    ).not.toThrow();
  });
  it("finds the scope of the work that failed, across timers and promises", async () => {
    const scope = { id: "http#3 GET /x", close: jest.fn() };
    const seen = await new Promise<unknown>((resolve) =>
      runInScope(scope, () => setImmediate(() => Promise.resolve().then(() => resolve(currentScope())))),
    );
    expect(seen).toBe(scope);
    expect(currentScope()).toBeUndefined();
  });
  it("installs on a process's two fault events and removes itself", () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const remove = installProcessGuard((l) => lines.push(l), proc);
    const close = jest.fn();
    runInScope({ id: "ws#2", close }, () => proc.emit("uncaughtException", new Error("e1")));
    proc.emit("unhandledRejection", new Error("r1"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("ws#2");
    expect(close).toHaveBeenCalled();
    remove();
    expect(proc.listenerCount("uncaughtException") + proc.listenerCount("unhandledRejection")).toBe(0);
  });
});
