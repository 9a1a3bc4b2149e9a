// Which onnxruntime session settings suit the engine on this machine: whole
// generations of one guided prompt under each setting, run round-robin so that a busy moment hits them alike.
//   node dist/bench/session-options.js [--model-dir bench/models/small-s0] [--seconds 5] [--rounds 2] [--out bench/session-options.json]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type * as ort from "onnxruntime-node";
import { MusicGenEngine } from "../helper/engine/musicgen";

interface Setting {
  name: string;
  threads?: number;
  options?: ort.InferenceSession.SessionOptions;
}

const SETTINGS: Setting[] = [
  { name: "defaults (threads = cores, spinning, optimisation all)" },
  { name: "1 intra-op thread", threads: 1 },
  { name: `${os.cpus().length * 2} intra-op threads`, threads: os.cpus().length * 2 },
  { name: "no spinning", options: { extra: { session: { intra_op: { allow_spinning: "0" } } } } },
  { name: "optimisation extended", options: { graphOptimizationLevel: "extended" } },
  { name: "optimisation basic", options: { graphOptimizationLevel: "basic" } },
  { name: "no memory arena", options: { enableCpuMemArena: false } },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "model-dir": { type: "string", default: "bench/models/small-s0" },
      seconds: { type: "string", default: "5" },
      rounds: { type: "string", default: "2" },
      out: { type: "string" },
    },
  });
  const dir = path.resolve(values["model-dir"]!);
  const seconds = Number(values.seconds);
  const walls = SETTINGS.map(() => [] as number[]);
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, s] of SETTINGS.entries()) {
      const engine = await MusicGenEngine.load(dir, {
        variant: "q8",
        provider: "cpu",
        warmup: false,
        threads: s.threads,
        sessionOptions: s.options,
      });
      const t0 = performance.now();
      await engine.generate({
        prompts: ["upbeat tech product reveal music"],
        durationSec: seconds,
        seed: 1,
        topK: 250,
      });
      walls[i].push(performance.now() - t0);
      await engine.dispose();
      console.error(`${s.name}: ${(walls[i][walls[i].length - 1] / 1000).toFixed(1)} s`);
    }
  }
  const base = Math.min(...walls[0]);
  const rows = SETTINGS.map((s, i) => ({
    setting: s.name,
    bestS: Math.min(...walls[i]) / 1000,
    allS: walls[i].map((w) => w / 1000),
    vsDefaults: Math.min(...walls[i]) / base,
  }));
  for (const r of rows)
    console.log(
      `| ${r.setting} | ${r.bestS.toFixed(1)} s | ${r.allS.map((w) => w.toFixed(1)).join(", ")} | ${r.vsDefaults.toFixed(2)} |`,
    );
  if (values.out) fs.writeFileSync(values.out, JSON.stringify({ seconds, rows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
