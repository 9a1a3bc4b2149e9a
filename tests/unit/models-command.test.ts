// `cuesmith models ...` argument handling and output (no network: verify/list on local folders).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runModelsCommand } from "../../helper/cli/models-command";

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModelsCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const tmpDirs: string[] = [];
const tmp = (tag: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `cuesmith-mcmd-${tag}-`));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("cuesmith models: bad arguments", () => {
  it.each([
    [[], /missing sub-command/],
    [["frobnicate"], /unknown sub-command "frobnicate"/],
    [["fetch"], /missing model name/],
    [["fetch", "musicgen-small", "extra"], /expected one model name/],
    [["fetch", "no-such-model"], /unknown model "no-such-model" \(known: musicgen-small\)/],
    [["fetch", "musicgen-small", "--variant", "int4"], /--variant must be q8 or fp32, got "int4"/],
    [["fetch", "musicgen-small", "--frob"], /Unknown option '--frob'/],
    [["fetch", "musicgen-small", "--dest"], /--dest/],
    [["list", "extra"], /unexpected argument "extra"/],
    [["verify", "musicgen-small", "--model-dir", "/tmp/x"], /a model name or --model-dir, not both/],
    [["verify", "--variant", "fp16"], /--variant must be q8 or fp32/],
    [["verify", "nope"], /unknown model "nope"/],
    [["verify", "--deep=yes"], /--deep/],
    [["build-test"], /--size tiny\|small is required/],
    [["build-test", "--size", "huge", "--out", "x"], /--size must be tiny or small, got "huge"/],
    [["build-test", "--size", "tiny"], /--out DIR is required/],
    [["build-test", "--size", "tiny", "--out", "x", "--seed=-1"], /--seed must be a whole number >= 0/],
    [["build-test", "--size", "tiny", "--out", "x", "--seed", "abc"], /--seed must be a whole number >= 0/],
  ])("%j → exit 2 and one line saying why", async (argv, why) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0].split("\n")).toHaveLength(1);
    expect(r.err[0]).toMatch(why as RegExp);
  });

  it("prints the usage for help", async () => {
    const r = await run(["help"]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/models fetch NAME/);
  });
});

describe("cuesmith models verify / list", () => {
  it("verify --model-dir on an empty folder: every file missing, exit 1, the fix on stderr", async () => {
    const dir = tmp("empty");
    const r = await run(["verify", "--model-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toContain(`musicgen-small in ${dir}`);
    expect(r.out.filter((l) => /^\s+MISSING\s/.test(l))).toHaveLength(9);
    expect(r.out).toContain("  MISSING    onnx/decoder_model_merged_quantized.onnx");
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(`npx cuesmith models fetch musicgen-small --dest ${dir}`);
    expect(r.err[0]).toContain("--model-dir");
  });

  it("verify --json gives the per-file report", async () => {
    const dir = tmp("json");
    fs.writeFileSync(path.join(dir, "config.json"), "{}");
    const r = await run(["verify", "--model-dir", dir, "--variant", "fp32", "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.join("\n"));
    expect(report.checked).toEqual(["fp32"]);
    expect(report.files.find((f: { file: string }) => f.file === "config.json").status).toBe("wrong_size");
    expect(report.files.find((f: { file: string }) => f.file === "onnx/decoder_model_merged.onnx").status).toBe(
      "missing",
    );
  });

  it("list --root: nothing installed, in text and JSON", async () => {
    const root = tmp("root");
    const text = await run(["list", "--root", root]);
    expect(text.code).toBe(0);
    expect(text.out[0]).toMatch(/no models installed in .* run `npx cuesmith models fetch musicgen-small`/);
    fs.mkdirSync(path.join(root, "musicgen-small"));
    const json = await run(["list", "--root", root, "--json"]);
    expect(JSON.parse(json.out.join("\n")).models).toMatchObject([
      { name: "musicgen-small", model: "musicgen-small", variants: [] },
    ]);
  });
});

describe("cuesmith models build-test", () => {
  it("writes a tiny contract model in the published layout, and rebuilds over an earlier one", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-bt-")), "m");
    for (let i = 0; i < 2; i++) {
      const r = await run(["build-test", "--size", "tiny", "--out", out, "--seed", "7"]);
      expect(r.code).toBe(0);
      expect(r.out[0]).toContain(out);
    }
    expect(JSON.parse(fs.readFileSync(path.join(out, "config.json"), "utf8")).cuesmith_contract_model).toMatchObject({
      seed: 7,
    });
    expect(fs.existsSync(path.join(out, "onnx", "decoder_model_merged.onnx"))).toBe(true);
  });

  it("refuses to overwrite a folder that is not a contract model", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-bt-"));
    fs.writeFileSync(path.join(dir, "precious.txt"), "keep me");
    const r = await run(["build-test", "--size", "tiny", "--out", dir]);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, "precious.txt"), "utf8")).toBe("keep me");
  });
});
