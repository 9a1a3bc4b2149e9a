// The scripts that drive the bench pass it only options it knows: bench/gpu-check.sh is run on the day a GPU
// machine is available, and nothing else runs it before then. The bench parses every option before it looks at
// --help, so the script's own arguments with --help added must be accepted (compiled: `npm test` builds first).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const BENCH = path.join(ROOT, "dist", "bench", "run.js");

/** The arguments a shell script passes to `node dist/bench/run.js`, with its variables given plain values. */
function benchArgs(script: string): string[] {
  const line = fs
    .readFileSync(path.join(ROOT, script), "utf8")
    .split("\n")
    .find((l) => l.startsWith("node dist/bench/run.js "));
  if (!line) throw new Error(`${script} does not run the bench`);
  return line
    .slice("node dist/bench/run.js ".length)
    .replace(/"\$@"/g, "")
    .replace(/\$providers/g, "webgpu")
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => a.replace(/^"|"$/g, ""));
}

describe("bench scripts", () => {
  it("bench/gpu-check.sh passes the bench only options it accepts", () => {
    if (!fs.existsSync(BENCH)) throw new Error("run `npm run build` first (npm test does)");
    const args = benchArgs("bench/gpu-check.sh");
    expect(args).toEqual(expect.arrayContaining(["--provider", "--seconds", "--variant"]));
    const r = spawnSync(process.execPath, [BENCH, ...args, "--help"], { cwd: ROOT, encoding: "utf8" });
    expect({ code: r.status, err: r.stderr.split("\n")[0] }).toEqual({ code: 0, err: "" });
    expect(r.stdout).toMatch(/^usage: npm run bench/);
  });
});
