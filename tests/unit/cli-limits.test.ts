// The CLI's numeric job options are refused exactly where the protocol refuses the same job fields: a value
// `cuesmith generate` takes is one a `generate` message may carry, and the reverse.
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../../helper/cli/args";
import { runAnalyzeCommand } from "../../helper/cli/analyze-command";
import { runGenerateCommand } from "../../helper/cli/generate-command";
import { MAX_DURATION_SEC, MAX_SEED, MAX_TOP_K, parseJobSpec } from "../../shared/protocol";

const NO_MODEL = path.join(os.tmpdir(), "cuesmith-no-such-model");
const io = { out: () => undefined, err: () => undefined };

/** "usage" when the CLI refuses the options, "ran" when it got past them (it then fails on the missing model). */
async function cli(option: string, value: string): Promise<"usage" | "ran"> {
  const args = ["--model-dir", NO_MODEL, "--prompt", "calm piano", "--duration", "2", "--out", "x.wav"];
  const at = args.indexOf(`--${option}`);
  if (at >= 0) args[at + 1] = value;
  else args.push(`--${option}`, value);
  try {
    await runGenerateCommand(args, io);
  } catch (err) {
    return err instanceof UsageError ? "usage" : "ran";
  }
  return "ran";
}

const protocol = (field: string, value: number) =>
  parseJobSpec({ prompt: "calm piano", duration_sec: 2, [field]: value }).ok ? "ran" : "usage";

const CASES: [option: string, field: string, values: number[]][] = [
  ["duration", "duration_sec", [0.4, 0.5, 300, 300.5]],
  ["bpm", "target_bpm", [29, 30, 300, 301]],
  ["guidance", "guidance_scale", [-1, 0, 20, 21]],
  ["top-k", "top_k", [0, 1, 2.5, MAX_TOP_K, MAX_TOP_K + 1, 4096]],
  ["temperature", "temperature", [0, 0.01, 10, 11]],
  ["seed", "seed", [-1, 0, 1.5, MAX_SEED, MAX_SEED + 1, 2 ** 40]],
];

describe("cuesmith generate's numeric options", () => {
  it("are refused exactly where the protocol refuses the job field", async () => {
    const rows: string[] = [];
    const expected: string[] = [];
    for (const [option, field, values] of CASES) {
      for (const v of values) {
        rows.push(`--${option} ${v}: ${await cli(option, String(v))}`);
        expected.push(`--${option} ${v}: ${protocol(field, v)}`);
      }
    }
    expect(rows).toEqual(expected);
    // the edges themselves, so that the comparison above cannot pass with both ends wrong
    expect(expected).toEqual(
      expect.arrayContaining([`--top-k ${MAX_TOP_K + 1}: usage`, `--seed ${MAX_SEED + 1}: usage`]),
    );
    expect(expected).toEqual(
      expect.arrayContaining([`--duration ${MAX_DURATION_SEC}: ran`, `--seed ${MAX_SEED}: ran`]),
    );
  });

  it("say why in the protocol's words, naming the option", async () => {
    await expect(
      runGenerateCommand(["--prompt", "x", "--duration", "2", "--out", "x.wav", "--top-k", "4096"], io),
    ).rejects.toThrow("--top-k must be a whole number from 1 to 2048, got 4096");
    await expect(
      runGenerateCommand(["--prompt", "x", "--duration", "2", "--out", "x.wav", "--seed", "abc"], io),
    ).rejects.toThrow(/--seed must be a number, got "abc"/);
  });
});

describe("cuesmith analyze's --in and --out", () => {
  it("are held to the protocol's in_sec / out_sec range and order", async () => {
    await expect(runAnalyzeCommand(["--text", "hello there", "--in", "90000"], io)).rejects.toThrow(
      "--in must be a number from 0 to 86400 seconds, got 90000",
    );
    await expect(runAnalyzeCommand(["--text", "hello there", "--out=-1"], io)).rejects.toThrow(
      /--out must be a number from 0/,
    );
    await expect(runAnalyzeCommand(["--text", "hello there", "--in", "5", "--out", "5"], io)).rejects.toThrow(
      "--out must be after --in",
    );
  });
});
