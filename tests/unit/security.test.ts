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
  it("requires the token in LAN mode, from the query or a bearer header", () => {
    const lan = { lan: true, token: "s3cret", allowedOrigins: [] };
    expect(checkAccess({ headers: { host: "192.168.1.5:8001" }, url: "/?token=s3cret" }, lan)).toBeNull();
    expect(
      checkAccess({ headers: { host: "studio:8001", authorization: "Bearer s3cret" }, url: "/health" }, lan),
    ).toBeNull();
    expect(checkAccess({ headers: { host: "studio:8001" }, url: "/health?token=nope" }, lan)?.status).toBe(401);
    expect(checkAccess({ headers: { host: "studio:8001" }, url: "/health" }, lan)?.status).toBe(401);
  });
  it("compares tokens in constant time, and any token passes when none is set", () => {
    expect(tokenMatches("a", "a")).toBe(true);
    expect(tokenMatches("a", "ab")).toBe(false);
    expect(tokenMatches(null, "a")).toBe(false);
    expect(tokenMatches(undefined, undefined)).toBe(true);
  });
});
