// Where one cached step of the published decoder spends its time at a long past: onnxruntime's own profile of the
// session run (time per op type) against the step's wall time in Node, which also counts onnxruntime-node handing
// every `present.*` (the whole cache, concatenated) back to JavaScript. Explains why the published graph's step
// grows so much faster than the flat rewrite's, which returns only the new K/V slice.
//   node dist/bench/published-step-profile.js [--model-dir DIR] [--variant q8|fp32] [--past 1500] [--reps 3]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { parseMusicgenConfig } from "../helper/engine/config";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../models/layout";

const USAGE = `usage: node dist/bench/published-step-profile.js [--model-dir DIR] [--variant q8|fp32] [--past N] [--reps N]
One cached decoder step of the published graph, guided batch 2, run --reps times on the same inputs; prints each
step's wall time, onnxruntime's session-run time, and the op types that took the most of the last run.`;

interface ProfileEvent {
  cat?: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "model-dir": {
        type: "string",
        default: path.join(__dirname, "..", "..", "bench", "models", "exported-small-s0"),
      },
      variant: { type: "string", default: "q8" },
      past: { type: "string", default: "1500" },
      reps: { type: "string", default: "3" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const dir = values["model-dir"]!;
  const variant = values.variant as DecoderVariant;
  const past = Number(values.past);
  const reps = Number(values.reps);
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  const { layers, heads, headDim, codebooks } = parseMusicgenConfig(raw);
  // the text encoder's width is not an engine setting: read it where the config keeps it
  const textDim: number = raw.text_encoder.d_model;

  const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-profile-")), "run");
  const session = await ort.InferenceSession.create(path.join(dir, ONNX_DIR, ONNX_FILES.decoder[variant]), {
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  const batch = 2; // one prompt with classifier-free guidance
  const textLen = 12;
  const filled = (n: number) => new Float32Array(n).fill(0.01);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", new BigInt64Array(batch * codebooks).fill(5n), [batch * codebooks, 1]),
    encoder_hidden_states: new ort.Tensor("float32", filled(batch * textLen * textDim), [batch, textLen, textDim]),
    encoder_attention_mask: new ort.Tensor("int64", new BigInt64Array(batch * textLen).fill(1n), [batch, textLen]),
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([1]), [1]),
  };
  for (let l = 0; l < layers; l++) {
    for (const kv of ["key", "value"]) {
      const self = [batch, heads, past, headDim];
      const cross = [batch, heads, textLen, headDim];
      feeds[`past_key_values.${l}.decoder.${kv}`] = new ort.Tensor(
        "float32",
        filled(batch * heads * past * headDim),
        self,
      );
      feeds[`past_key_values.${l}.encoder.${kv}`] = new ort.Tensor(
        "float32",
        filled(batch * heads * textLen * headDim),
        cross,
      );
    }
  }
  const wall: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await session.run(feeds);
    wall.push(performance.now() - t);
  }
  session.endProfiling(); // writes <prefix>_<date>.json
  const profileDir = path.dirname(prefix);
  const file = path.join(
    profileDir,
    fs.readdirSync(profileDir).find((f) => f.endsWith(".json"))!,
  );
  const events = JSON.parse(fs.readFileSync(file, "utf8")) as ProfileEvent[];
  const runs = events.filter((e) => e.cat === "Session" && e.name === "model_run");
  const last = runs[runs.length - 1];
  const byOp = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== "Node" || !e.name.endsWith("_kernel_time") || e.ts < last.ts || e.ts > last.ts + last.dur) continue;
    const op = e.args?.op_name ?? "?";
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 1000);
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`published ${variant} decoder, past ${past}, guided batch ${batch}, ${layers} layers`);
  console.log(`wall per step (Node):        ${wall.map(ms).join(", ")}`);
  console.log(`session run (onnxruntime):   ${runs.map((r) => ms(r.dur / 1000)).join(", ")}`);
  const top = [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    `last run by op type (nested If counted with its body): ${top.map(([op, t]) => `${op} ${ms(t)}`).join(", ")}`,
  );
  fs.rmSync(profileDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
