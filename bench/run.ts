// `npm run bench`: Cuesmith's engine against transformers.js's MusicGen on the same model files (by default the
// full-size model whose decoder torch.onnx.export wrote, models/export), case after case so both see the same
// machine; each case runs in its own child process, so each row's peak RSS is that implementation's own. Never run
// in CI. `npm run bench -- --help` lists the options (USAGE below). --provider webgpu runs our decoder on WebGPU
// (the fp32 published graph with its K/V on the device) and reports host↔device bytes per step.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildTestModel } from "../models/build";
import { MusicGenEngine } from "../helper/engine/musicgen";
import type { LoadedModel } from "../helper/engine/model-loader";
import { FLAT_LAYOUT_KEY, FlatLayout, prepareDecoders, verifyFlatDecoder, writeFlatDecoder } from "../models/transform";
import { readMetadata } from "../models/transform/onnx-file";
import { modelPaths, ONNX_DIR, ONNX_FILES } from "../models/layout";
import { framesFor } from "../helper/engine/generation/duration";
import { parseMusicgenConfig } from "../helper/engine/config";
import { webGpuRuntime } from "../helper/engine/webgpu/runtime";
import { snapshot, transferSince } from "../helper/engine/webgpu/transfer-counter";
import { publishedMeanBytes, type StepBytes } from "./transfer-bytes";

const PROMPT = "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident";
const OUT_DIR = path.resolve(__dirname, "..", "..", "bench");
const REPO = path.resolve(__dirname, "..", "..");

const USAGE = `usage: npm run bench -- [options]
Cuesmith's engine against transformers.js on the same model files, CPU; each case in its own child process.
Results go to bench/results.json and bench/RESULTS.md (the notes below its marker are kept).
  --seconds 5,15,30        clip lengths (s)
  --variant fp32,q8        decoder variants
  --layout in-place,capacity,published
                           our engine's decoder graph, one row each: a layout of the flat rewrite, or the published graph
  --batch 1,8              prompts per request (transformers.js runs only 1)
  --requests N             the same request N times on one loaded engine, one row each (default 1)
  --model exported|contract
                           the full-size model's decoder: exported by torch.onnx.export (default; built once by
                           models/export/export_decoder.py, needs Debian's python3-torch) or our hand-built one
  --provider cpu,webgpu,cuda
                           where our engine runs (default cpu); webgpu runs the fp32 published graph with its K/V on
                           the device, and its rows report host↔device bytes per step
  --model-dir DIR          a model folder to use instead (a real musicgen-small works)
  --no-reference           skip transformers.js
  --append                 add to bench/results.json instead of starting afresh
  --report-only            rewrite RESULTS.md from results.json, run nothing
  -h, --help               this text`;

type Layout = FlatLayout | "published";

interface CaseResult {
  impl: "cuesmith" | "transformers.js";
  /** Our engine's decoder graph; null for transformers.js (it runs the published graph). */
  graph: "flat" | "plain" | null;
  /** The flat rewrite's layout (models/transform/flat-decoder.ts), when graph is "flat". */
  layout?: string;
  /** Whose decoder graph: "exported" (torch.onnx.export, models/export) or "contract" (hand-built); absent in older rows: contract. */
  decoder?: "exported" | "contract";
  /** The decoder's shape when it is not musicgen-small's 24 layers × 16 heads × 64 (a `--model-dir` such as the tiny contract model). */
  shape?: string;
  prompts: number;
  seconds: number;
  variant: "fp32" | "q8";
  wallMs: number;
  steps: number;
  firstStepsMs: number; // mean step time over the first 100 steps
  lastStepsMs: number; // … and the last 100
  at50Ms: number; // mean step time over steps 40..60 (past length ~50)
  /** Share of decode time outside the decoder's session.run (ours only). */
  engineOverhead: number | null;
  encodecMs: number | null;
  realTimeFactor: number; // audio seconds per wall second
  peakRssMb: number;
  /** When the bench process that measured this row started: ratios compare rows of one run only. */
  run?: string;
  /** 1: the engine's first request after loading; 2, 3…: the same request again on the same engine. */
  request?: number;
  /** Where our engine ran (absent: cpu). */
  provider?: string;
  /** The WebGPU adapter (webgpu rows), e.g. "mesa software (llvmpipe …)": software adapters say nothing of GPU speed. */
  adapter?: string;
  /** Host↔device bytes per decoder step (webgpu rows): measured, and the published graph without residency. */
  transferPerStep?: { resident: StepBytes; publishedNotResident: StepBytes };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
function stepStats(stamps: number[]): { first: number; last: number; at50: number } {
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
  return { first: mean(deltas.slice(0, 100)), last: mean(deltas.slice(-100)), at50: mean(deltas.slice(40, 61)) };
}
/** The process's peak resident set; each case runs in its own process (inChild), so it is the case's own. */
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function runCuesmith(
  dir: string,
  seconds: number,
  variant: "fp32" | "q8",
  layout: Layout,
  prompts: number,
  requests: number,
  provider = "cpu",
): Promise<CaseResult[]> {
  const graph = layout === "published" ? "plain" : "flat";
  // the parent wrote (and self-checked) the flat file of this layout; the check's cost is not part of a case
  const engine = await MusicGenEngine.load(dir, {
    variant,
    provider,
    warmup: false,
    decoderGraph: graph,
    selfCheck: false,
  });
  const info = engine.info;
  if (info.provider !== provider)
    throw new Error(`${provider} could not run: ${info.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join("; ")}`);
  const gpu = provider === "webgpu" ? await webGpuRuntime() : undefined;
  // time spent inside the decoder's session.run, to separate the engine's own cost from onnxruntime's
  const session = (engine as unknown as { model: LoadedModel }).model.decoder;
  const run = session.run.bind(session);
  let runMs = 0;
  session.run = (async (...args: Parameters<typeof run>) => {
    const t0 = performance.now();
    try {
      return await run(...args);
    } finally {
      runMs += performance.now() - t0;
    }
  }) as typeof session.run;
  const written = graph === "flat" ? readMetadata(modelPaths(dir, variant).decoderFlat)[FLAT_LAYOUT_KEY] : undefined;
  const rows: CaseResult[] = [];
  for (let request = 1; request <= requests; request++) {
    runMs = 0;
    const stamps: number[] = [];
    const moved = gpu && snapshot(gpu.transfers);
    const started = performance.now();
    const texts = Array.from({ length: prompts }, (_, i) => `${PROMPT} ${i}`);
    const r = await engine.generate(
      { prompts: texts, durationSec: seconds, seed: 1, topK: 250 },
      { onProgress: () => stamps.push(performance.now()) },
    );
    const wallMs = performance.now() - started;
    const s = stepStats(stamps);
    const decodeMs = r.timings.decodeMs;
    const row: CaseResult = {
      impl: "cuesmith",
      graph,
      layout: written,
      prompts,
      seconds,
      variant,
      wallMs,
      steps: r.steps,
      firstStepsMs: s.first,
      lastStepsMs: s.last,
      at50Ms: s.at50,
      engineOverhead: (decodeMs - runMs) / decodeMs,
      encodecMs: r.timings.encodecMs,
      realTimeFactor: (prompts * seconds) / (wallMs / 1000),
      peakRssMb: rssMb(),
      request,
    };
    if (provider !== "cpu") row.provider = provider;
    if (gpu && moved) {
      const total = transferSince(moved, snapshot(gpu.transfers));
      const { config: m, tokenizer } = (engine as unknown as { model: LoadedModel }).model;
      const textLength = tokenizer.encodeBatch(texts).length;
      const shape = {
        layers: m.layers,
        heads: m.heads,
        headDim: m.headDim,
        batch: 2 * prompts,
        codebooks: m.codebooks,
        vocab: m.codebookSize,
        textLength,
      };
      row.adapter = `${gpu.adapter.vendor} ${gpu.adapter.architecture} (${gpu.adapter.device})${gpu.adapter.software ? " [software]" : ""}`;
      row.transferPerStep = {
        resident: { uploaded: total.uploaded / r.steps, readBack: total.readBack / r.steps },
        publishedNotResident: publishedMeanBytes(shape, r.steps),
      };
    }
    rows.push(row);
  }
  await engine.dispose();
  return rows;
}

async function runTransformersJs(dir: string, seconds: number, variant: "fp32" | "q8"): Promise<CaseResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tjs = require("@huggingface/transformers");
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = path.dirname(dir) + path.sep;
  const name = path.basename(dir);
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(name);
  const model = await tjs.MusicgenForConditionalGeneration.from_pretrained(name, {
    device: "cpu",
    dtype: { text_encoder: "fp32", decoder_model_merged: variant === "q8" ? "q8" : "fp32", encodec_decode: "fp32" },
  });
  const stamps: number[] = [];
  const streamer = { put: () => stamps.push(performance.now()), end: () => {} };
  const steps = framesFor(seconds) + 3;
  const started = performance.now();
  await model.generate({
    ...tokenizer([PROMPT]),
    max_new_tokens: steps,
    do_sample: true,
    top_k: 250,
    guidance_scale: 3,
    streamer,
  });
  const wallMs = performance.now() - started;
  await model.dispose();
  const s = stepStats(stamps);
  return {
    impl: "transformers.js",
    graph: null,
    prompts: 1,
    seconds,
    variant,
    wallMs,
    steps,
    firstStepsMs: s.first,
    lastStepsMs: s.last,
    at50Ms: s.at50,
    engineOverhead: null,
    encodecMs: null,
    realTimeFactor: seconds / (wallMs / 1000),
    peakRssMb: rssMb(),
  };
}

/** RESULTS.md from this line on is written by people, and kept when the tables above are regenerated. */
const NOTES_MARKER = "<!-- notes: kept by bench/run.ts when it rewrites the tables above -->";

function markdown(results: CaseResult[], machine: object): string {
  const f1 = (x: number | null) => (x === null ? "—" : x.toFixed(1));
  // the decoder graph a row ran: a flat layout, or the published graph (ours on "plain", and transformers.js)
  const graphOf = (r: CaseResult) => (r.graph === "flat" ? `flat (${r.layout ?? "?"})` : "published");
  const decoderOf = (r: CaseResult) => `${r.decoder ?? "contract"}${r.shape ? ` (${r.shape})` : ""}`;
  const caseOf = (r: CaseResult) => `${decoderOf(r)} decoder, ${graphOf(r)}`;
  const rows = results.map(
    (r) =>
      `| ${r.impl}${r.provider && r.provider !== "cpu" ? ` on ${r.provider}` : ""} | ${decoderOf(r)} | ${graphOf(r)} | ${r.variant} | ${r.prompts} × ${r.seconds}${(r.request ?? 1) > 1 ? ` (request ${r.request})` : ""} | ${(r.wallMs / 1000).toFixed(1)} | ${f1(r.at50Ms)} | ${f1(r.firstStepsMs)} | ${f1(r.lastStepsMs)} | ${(r.lastStepsMs / r.at50Ms).toFixed(2)} | ${r.engineOverhead === null ? "—" : (100 * r.engineOverhead).toFixed(1) + " %"} | ${r.encodecMs === null ? "—" : (r.encodecMs / 1000).toFixed(2)} | ${r.realTimeFactor.toFixed(3)} | ${r.peakRssMb} |`,
  );
  // each of our rows against the row it is compared with that is nearest to it in the list, within the same run
  const nearest = (i: number, match: (r: CaseResult) => boolean) =>
    results
      .map((r, j) => ({ r, d: Math.abs(i - j) }))
      .filter(({ r }) => r.run === results[i].run && (r.request ?? 1) === (results[i].request ?? 1) && match(r))
      .sort((a, b) => a.d - b.d)[0]?.r;
  const first = (r: CaseResult) => (r.request ?? 1) === 1;
  const speedups = results
    .filter((r) => r.impl === "cuesmith" && r.prompts === 1 && first(r))
    .flatMap((ours) => {
      const ref = nearest(
        results.indexOf(ours),
        (r) => r.impl === "transformers.js" && r.seconds === ours.seconds && r.variant === ours.variant,
      );
      return ref
        ? [
            `- ${ours.seconds} s ${ours.variant} (${caseOf(ours)}): Cuesmith ${(ref.wallMs / ours.wallMs).toFixed(2)}× transformers.js`,
          ]
        : [];
    });
  const batched = results
    .filter((r) => r.impl === "cuesmith" && r.prompts > 1)
    .flatMap((b) => {
      const one = nearest(
        results.indexOf(b),
        (r) =>
          r.impl === "cuesmith" &&
          r.prompts === 1 &&
          r.seconds === b.seconds &&
          r.variant === b.variant &&
          r.graph === b.graph &&
          r.layout === b.layout,
      );
      const again = first(b) ? "" : ` (request ${b.request} of each on its engine)`;
      return one
        ? [
            `- ${b.prompts} × ${b.seconds} s ${b.variant} (${caseOf(b)}): ${(b.wallMs / one.wallMs).toFixed(2)}× the wall time of 1 × ${b.seconds} s${again}`,
          ]
        : [];
    });
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const transfers = results.flatMap((r) =>
    r.transferPerStep
      ? [
          `- ${r.provider} ${r.prompts} × ${r.seconds} s, ${decoderOf(r)} decoder, on ${r.adapter}: per step up ${kb(r.transferPerStep.resident.uploaded)}, back ${kb(r.transferPerStep.resident.readBack)} (K/V resident); ` +
            `the published graph without residency: up ${kb(r.transferPerStep.publishedNotResident.uploaded)}, back ${kb(r.transferPerStep.publishedNotResident.readBack)}`,
        ]
      : [],
  );
  return [
    "# Benchmark: Cuesmith engine vs transformers.js (same contract-model files, CPU)",
    "",
    `Machine: ${JSON.stringify(machine)}`,
    "",
    "| impl | decoder | decoder graph | variant | prompts × s | wall s | step ms (~past 50) | step ms (first 100) | step ms (last 100) | last 100 / past 50 | engine overhead | EnCodec s | audio s per wall s | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "Ratios measured in the same run (rows of one bench process):",
    ...speedups,
    ...batched,
    "",
    "Decoder: exported = the full-size decoder torch.onnx.export wrote (models/export, BART attention); contract = our hand-built one (4-D attention). A shape in brackets is not musicgen-small's (the tiny contract model of the tests): its times compare only with rows of the same shape.",
    ...(transfers.length
      ? [
          "Host↔device bytes per decoder step (cpu: n/a). A software adapter's timings say nothing about a GPU:",
          ...transfers,
          "",
        ]
      : []),
    "Engine overhead: decode time outside the decoder's session.run (tokens, sampling, KV cache writes), as a share of decode time.",
    "Peak RSS: the maximum resident set of the case's own child process (model load included).",
    "",
  ].join("\n");
}

type ChildCase =
  | {
      impl: "cuesmith";
      dir: string;
      seconds: number;
      variant: "fp32" | "q8";
      layout: Layout;
      prompts: number;
      requests: number;
      provider: string;
    }
  | { impl: "transformers.js"; dir: string; seconds: number; variant: "fp32" | "q8" };

const CHILD_MARK = "BENCH-ROWS ";

/** Runs one case in a fresh node process: its rows, with that process's own peak RSS. */
function inChild(c: ChildCase): CaseResult[] {
  const r = spawnSync(process.execPath, [__filename, "--child", JSON.stringify(c)], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith(CHILD_MARK));
  if (r.status !== 0 || !line)
    throw new Error(`bench case ${JSON.stringify(c)} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ""})`);
  return JSON.parse(line.slice(CHILD_MARK.length)) as CaseResult[];
}

async function child(c: ChildCase): Promise<void> {
  const rows =
    c.impl === "cuesmith"
      ? await runCuesmith(c.dir, c.seconds, c.variant, c.layout, c.prompts, c.requests, c.provider)
      : [await runTransformersJs(c.dir, c.seconds, c.variant)];
  console.log(CHILD_MARK + JSON.stringify(rows));
}

/**
 * The full-size folder with the decoder torch.onnx.export wrote: the contract model's text encoder, EnCodec and
 * files, its decoder replaced by models/export's (real dimensions, BART attention), q8 quantized from it as a fetch
 * of fp32 would.
 */
async function buildExportedModel(dir: string): Promise<void> {
  console.error(
    `building the full-size exported-decoder model in ${dir} (once; ~2.3 GB, needs /usr/bin/python3 with python3-torch and python3-onnx)…`,
  );
  await buildTestModel({
    size: "small",
    outDir: dir,
    variants: ["fp32"],
    flat: false,
    onProgress: (m) => console.error(m),
  });
  const decoder = path.join(dir, ONNX_DIR, ONNX_FILES.decoder.fp32);
  fs.rmSync(`${decoder}_data`, { force: true });
  const r = spawnSync(
    "/usr/bin/python3",
    [
      path.join(REPO, "models", "export", "export_decoder.py"),
      "--size",
      "small",
      "--attention",
      "bart",
      "--out",
      decoder,
    ],
    { stdio: "inherit" },
  );
  if (r.status !== 0)
    throw new Error("models/export/export_decoder.py failed (Debian: apt-get install python3-torch python3-onnx)");
  await prepareDecoders(dir, { quantizeFromFp32: true, onProgress: (m) => console.error(m) });
}

/** The decoder's shape as a row names it: undefined for musicgen-small's, which every full-size model has. */
function decoderShape(dir: string): string | undefined {
  const { layers, heads, headDim } = parseMusicgenConfig(
    JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")),
  );
  return layers === 24 && heads === 16 && headDim === 64 ? undefined : `${layers} layers × ${heads} heads × ${headDim}`;
}

/** "exported" when torch.onnx.export wrote the fp32 decoder (its producer is pytorch), else our hand-built contract one. */
function decoderSource(dir: string): "exported" | "contract" {
  try {
    const head = fs
      .readFileSync(path.join(dir, ONNX_DIR, ONNX_FILES.decoder.fp32))
      .subarray(0, 64)
      .toString("latin1");
    return head.includes("pytorch") ? "exported" : "contract";
  } catch {
    return "contract";
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5,15,30" },
      variant: { type: "string", default: "fp32,q8" },
      model: { type: "string", default: "exported" },
      "model-dir": { type: "string" },
      "no-reference": { type: "boolean", default: false },
      layout: { type: "string", default: "in-place,capacity,published" },
      batch: { type: "string", default: "1" },
      append: { type: "boolean", default: false },
      requests: { type: "string", default: "1" },
      "report-only": { type: "boolean", default: false },
      child: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      provider: { type: "string", default: "cpu" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.child) return child(JSON.parse(values.child) as ChildCase);
  const layouts = values.layout!.split(",") as Layout[];
  const bad = layouts.find((l) => !["in-place", "capacity", "published"].includes(l));
  if (bad || !["exported", "contract"].includes(values.model!)) {
    console.error(`${bad ? `unknown --layout "${bad}"` : `--model must be exported or contract`}\n\n${USAGE}`);
    process.exit(2);
  }
  const seconds = values.seconds!.split(",").map(Number);
  const variants = values.variant!.split(",").map((v) => (v === "int8" ? "q8" : v)) as ("fp32" | "q8")[];
  const stored = fs.existsSync(path.join(OUT_DIR, "results.json"))
    ? (JSON.parse(fs.readFileSync(path.join(OUT_DIR, "results.json"), "utf8")) as {
        machine: object;
        results: CaseResult[];
      })
    : null;
  if (values["report-only"]) {
    // no model folder needed: the tables from the stored rows, on the machine they were measured on; results.json
    // stays as it is
    if (!stored) throw new Error(`no ${path.join(OUT_DIR, "results.json")} to report`);
    writeReport(stored.results, stored.machine);
    console.log(markdown(stored.results, stored.machine));
    return;
  }
  const dir = path.resolve(
    values["model-dir"] ?? path.join(OUT_DIR, "models", values.model === "exported" ? "exported-small-s0" : "small-s0"),
  );
  if (!fs.existsSync(path.join(dir, "config.json"))) {
    if (values.model === "exported") await buildExportedModel(dir);
    else {
      console.error(`building the full-size contract model in ${dir} (once; ~2.3 GB)…`);
      await buildTestModel({
        size: "small",
        outDir: dir,
        variants: ["fp32", "q8"],
        onProgress: (m) => console.error(m),
      });
    }
  }
  const batches = values.batch!.split(",").map(Number);
  const decoder = decoderSource(dir);
  const shape = decoderShape(dir);
  const providers = values.provider!.split(",");
  const run = new Date().toISOString().slice(0, 16) + "Z";
  const machine = {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
  // --append: add to bench/results.json (several short runs instead of one long one)
  const results: CaseResult[] = values.append && stored ? stored.results : [];
  for (const variant of variants) {
    for (const s of seconds) {
      for (const provider of providers) {
        // webgpu runs the fp32 published graph only (helper/engine/webgpu/session.ts)
        if (provider === "webgpu" && variant !== "fp32") continue;
        for (const layout of provider === "webgpu" ? (["published"] as Layout[]) : layouts) {
          // each layout's flat file is written (self-checked on these weights) before its case; a layout the rewrite
          // cannot apply falls to the next, and the row says which one ran
          if (layout !== "published") {
            writeFlatDecoder(dir, variant, layout);
            await verifyFlatDecoder(dir, variant, { log: (line) => console.error(line) });
          }
          for (const prompts of batches) {
            console.error(`cuesmith ${provider} ${layout} ${variant} ${prompts} × ${s} s…`);
            // a provider that cannot run here (no adapter, no CUDA libraries) is reported, and the others still run
            let rows: CaseResult[] = [];
            try {
              rows = inChild({
                impl: "cuesmith",
                dir,
                seconds: s,
                variant,
                layout,
                prompts,
                requests: Number(values.requests),
                provider,
              });
            } catch (err) {
              console.error(`cuesmith ${provider}: ${(err as Error).message}`);
            }
            for (const row of rows) {
              results.push({ ...row, run, decoder, ...(shape && { shape }) });
              console.error(JSON.stringify(row));
            }
            writeResults(results, machine, dir);
          }
        }
      }
      if (!values["no-reference"]) {
        console.error(`transformers.js ${variant} ${s} s…`);
        results.push({
          ...inChild({ impl: "transformers.js", dir, seconds: s, variant })[0],
          run,
          decoder,
          ...(shape && { shape }),
        });
        console.error(JSON.stringify(results[results.length - 1]));
      }
      writeResults(results, machine, dir); // after every case: a cut-short run still leaves its numbers
    }
  }
  writeResults(results, machine, dir);
  console.log(markdown(results, machine));
}

function writeResults(results: CaseResult[], machine: object, dir: string): void {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, "results.json"), JSON.stringify({ machine, model: dir, results }, null, 2));
  writeReport(results, machine);
}

/** RESULTS.md's tables; the hand-written analysis below NOTES_MARKER (step-time tables, notes) survives a re-run. */
function writeReport(results: CaseResult[], machine: object): void {
  const mdFile = path.join(OUT_DIR, "RESULTS.md");
  const previous = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, "utf8") : "";
  const notes = previous.includes(NOTES_MARKER) ? previous.slice(previous.indexOf(NOTES_MARKER)) : "";
  fs.writeFileSync(mdFile, markdown(results, machine) + (notes ? `\n${notes}` : ""));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
