// The helper serves the browser harness at /ui/ and lets that page (its own origin) use the WebSocket; other
// web origins stay refused.
import WebSocket from "ws";
import type { RunningHelper } from "../../helper/server/app";
import { harnessDir, serveUi } from "../../helper/server/static-ui";
import type { ServerResponse } from "node:http";
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestHelper } from "../helpers/daemon";

const built = fs.existsSync(path.join(harnessDir() ?? "", "index.html"));

const opens = (url: string, origin: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    // with this listener ws leaves the refused request to us: destroy it, or its socket outlives the test file
    ws.on("unexpected-response", (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.on("error", () => resolve(0));
  });

describe("the browser UI at /ui/", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  (built ? it : it.skip)("serves the harness page and its bundle, and nothing outside its folder", async () => {
    const page = await fetch(`${helper.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("harness.js");
    expect((await fetch(`${helper.url}/ui/harness.js`)).headers.get("content-type")).toMatch(/javascript/);
    expect((await fetch(`${helper.url}/ui/nope.js`)).status).toBe(404);
    // a path that climbs out of the folder (clients normalise "..", so ask the handler directly)
    const res: { writeHead: jest.Mock; end: jest.Mock } = { writeHead: jest.fn(), end: jest.fn() };
    res.writeHead.mockReturnValue(res);
    expect(serveUi("/ui/%2e%2e/%2e%2e/package.json", res as unknown as ServerResponse)).toBe(true);
    expect(res.writeHead).toHaveBeenCalledWith(404, expect.anything());
    expect((await fetch(`${helper.url}/ui`, { redirect: "manual" })).status).toBe(301);
  });

  it("accepts WebSockets from its own pages and still refuses other web origins", async () => {
    const ws = helper.url.replace("http", "ws");
    expect(await opens(ws, `http://127.0.0.1:${helper.port}`)).toBe(101);
    expect(await opens(ws, `http://localhost:${helper.port}`)).toBe(101);
    expect(await opens(ws, "http://127.0.0.1:1")).toBe(403);
    expect(await opens(ws, "https://evil.example")).toBe(403);
  });
});
