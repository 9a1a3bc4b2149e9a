// scripts/run-lanes.js, which `npm test` uses for the build and the checks: lanes run side by side, a lane's
// scripts one after another, a failure stops its own lane and becomes the exit code once every lane has stopped.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const RUN_LANES = path.resolve(__dirname, "..", "..", "scripts", "run-lanes.js");

function project(scripts: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-lanes-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "lanes", private: true, scripts }));
  return dir;
}

function runLanes(dir: string, lanes: string[]) {
  const r = spawnSync(process.execPath, [RUN_LANES, ...lanes], { cwd: dir, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("run-lanes", () => {
  const dir = project({
    a: "node -e \"console.log('from a')\"",
    b: "node -e \"console.log('from b')\"",
    bad: "node -e \"console.error('bad says why'); process.exit(3)\"",
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs every script of every lane and prints each one's output whole", () => {
    const r = runLanes(dir, ["a b", "b"]);
    expect(r.code).toBe(0);
    expect(r.out.match(/^> [ab]: ok, [\d.]+ s$/gm)).toHaveLength(3);
    expect(r.out).toMatch(/> a: ok, [\d.]+ s\nfrom a\n/);
  });

  it("a failure stops its lane, lets the other lanes finish, and is the exit code", () => {
    const r = runLanes(dir, ["a bad b", "b"]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/> bad: failed \(exit 3\), [\d.]+ s\n[^]*bad says why/);
    // lane 1 stopped at bad: its b never ran; lane 2's b did
    expect(r.out.match(/^> b: ok/gm)).toHaveLength(1);
    expect(r.out).toMatch(/^> a: ok/m);
  });

  it("refuses an empty lane with its usage", () => {
    const r = runLanes(dir, ["a", " "]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: node scripts\/run-lanes.js/);
  });
});
