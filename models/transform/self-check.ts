// The flat decoder checked on the user's own weights: the published graph and the flat rewrite run side by side
// for a few decoder calls from the same inputs (two prompts with guidance, a window start of several positions,
// then single steps, the same tokens fed to both), and their logits must agree. A rewrite that loads but computes
// wrong (a graph shape the rewrite misread, a damaged file) is caught before it makes a single bed; the caller then
// deletes the flat file and falls back to the next layout, then to the published graph.
// The result is recorded beside the flat file (<flat>.check.json), keyed by the file's size and mtime, so the check
// runs once after the install-time rewrite and again only when the file changes.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../layout";
import { FLAT_LAYOUT_KEY, FLAT_LAYOUTS, FLAT_REASON_KEY, FlatLayout, newSliceName, PAST_LENGTH } from "./flat-decoder";
import { readMetadata, sourcesUnchanged } from "./onnx-file";

/**
 * Largest |flat − published| over every logit of a call, relative to max(1, largest |published logit|).
 * fp32: the rewrite only reorders sums (measured ≤ 2.4e-7 on the contract and exported tiny models), so 1e-4 leaves
 * room for other CPUs' kernels and still fails any real error. q8: DynamicQuantizeMatMul quantises each call's
 * activations with a scale taken from their maximum, so a rounding difference in the attention can move an
 * activation by one quantisation step (~1/127 of its row's range) and the logits by about as much; one wrong
 * layer-norm gain moved the tiny model's logits by more than 1e-2, a wrong graph moves them by O(1). Measured values:
 * docs/engine.md ("How close the q8 flat decoder is").
 */
export const SELF_CHECK_TOLERANCE: Record<DecoderVariant, number> = { fp32: 1e-4, q8: 5e-2 };

export interface SelfCheckResult {
  status: "passed" | "failed";
  /** In words: what was compared and the worst difference, or why it failed. */
  reason: string;
  layout: FlatLayout;
  variant: DecoderVariant;
  maxRelDiff: number;
  tolerance: number;
  /** Share of (row, call) greedy choices that were the same on both graphs. */
  argmaxAgreement: number;
  calls: number;
  /** The flat file this result is for (its size and mtime when checked). */
  size: number;
  mtimeMs: number;
}

export interface DecoderDims {
  layers: number;
  heads: number;
  headDim: number;
  textDim: number;
  codebooks: number;
  vocab: number;
  startToken: number;
}

/** The numbers the check needs, from the folder's config.json. */
export function decoderDims(dir: string): DecoderDims {
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  const heads = Number(cfg.decoder.num_attention_heads);
  return {
    layers: Number(cfg.decoder.num_hidden_layers),
    heads,
    headDim: Number(cfg.decoder.hidden_size) / heads,
    textDim: Number(cfg.text_encoder.d_model),
    codebooks: Number(cfg.decoder.num_codebooks ?? 4),
    vocab: Number(cfg.decoder.vocab_size ?? 2048),
    startToken: Number(cfg.decoder_start_token_id ?? 2048),
  };
}

export interface CompareOptions {
  /** Decoder calls, the first one a window start of `promptPositions` positions. Default 12. */
  calls?: number;
  promptPositions?: number;
  variant?: DecoderVariant;
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

export interface Comparison {
  maxRelDiff: number;
  argmaxAgreement: number;
  calls: number;
  /** Per call: the relative difference (for measurements, e.g. q8's distance in docs/engine.md). */
  perCall: number[];
}

/** A deterministic stream of numbers in [0, 1) (the same inputs on every machine). */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `plainFile` (the published graph) and `flatFile` side by side; see the file header for the inputs. */
export async function compareDecoders(
  plainFile: string,
  flatFile: string,
  d: DecoderDims,
  opts: CompareOptions = {},
): Promise<Comparison> {
  const { calls = 12, promptPositions = 5 } = opts;
  const so: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: "all", ...opts.sessionOptions };
  const plain = await ort.InferenceSession.create(plainFile, so);
  let flat: ort.InferenceSession | undefined;
  try {
    flat = await ort.InferenceSession.create(flatFile, so);
    const prompts = 2;
    const batch = 2 * prompts; // guidance: [cond 0..1, uncond 0..1]
    const rows = batch * d.codebooks;
    const textLen = 6;
    const rnd = stream(0x5e1f);
    // text states: the second prompt is shorter (padded), the unconditional half zeroed with an all-zero mask
    const hidden = new Float32Array(batch * textLen * d.textDim);
    const mask = new BigInt64Array(batch * textLen);
    for (let b = 0; b < prompts; b++) {
      const len = b === 0 ? textLen : textLen - 2;
      for (let t = 0; t < len; t++) {
        mask[b * textLen + t] = 1n;
        for (let c = 0; c < d.textDim; c++) hidden[(b * textLen + t) * d.textDim + c] = (rnd() - 0.5) * 0.5;
      }
    }
    const total = promptPositions + calls - 1;
    // buffers longer than the past, their unused positions filled with large finite values: a graph that reads
    // beyond past_length, or a cache written at the wrong place, shows in the logits
    const capacity = Math.ceil((total + 1) / 16) * 16;
    const slice = batch * d.heads * d.headDim;
    const buffers = Array.from({ length: 2 * d.layers }, () =>
      Float32Array.from({ length: slice * capacity }, () => (rnd() - 0.5) * 2000),
    );
    const base: Record<string, ort.Tensor> = {
      encoder_hidden_states: new ort.Tensor("float32", hidden, [batch, textLen, d.textDim]),
      encoder_attention_mask: new ort.Tensor("int64", mask, [batch, textLen]),
    };
    const empty = () => new ort.Tensor("float32", new Float32Array(0), [batch, d.heads, 0, d.headDim]);
    let plainPast: Record<string, ort.Tensor> = {};
    const encoderPast: Record<string, ort.Tensor> = {};
    for (let l = 0; l < d.layers; l++) {
      for (const kv of ["key", "value"]) {
        plainPast[`past_key_values.${l}.decoder.${kv}`] = empty();
        encoderPast[`past_key_values.${l}.encoder.${kv}`] = empty();
      }
    }
    // tokens: position 0 the start token, the window's prompt random, then each row's greedy choice
    const tokens: number[][] = Array.from({ length: rows }, () => [
      d.startToken,
      ...Array.from({ length: promptPositions - 1 }, () => Math.floor(rnd() * d.vocab)),
    ]);
    const perCall: number[] = [];
    let agree = 0;
    let from = 0;
    for (let call = 0; call < calls; call++) {
      const to = call === 0 ? promptPositions : from + 1;
      const seq = to - from;
      const ids = new BigInt64Array(rows * seq);
      for (let r = 0; r < rows; r++) for (let t = from; t < to; t++) ids[r * seq + t - from] = BigInt(tokens[r][t]);
      const common = {
        ...base,
        ...encoderPast,
        input_ids: new ort.Tensor("int64", ids, [rows, seq]),
        use_cache_branch: new ort.Tensor("bool", new Uint8Array([call > 0 ? 1 : 0]), [1]),
      };
      const flatFeeds: Record<string, ort.Tensor> = {
        ...common,
        [PAST_LENGTH]: new ort.Tensor("int64", new BigInt64Array([BigInt(from)]), [1]),
      };
      for (let l = 0; l < d.layers; l++) {
        ["key", "value"].forEach(
          (kv, j) =>
            (flatFeeds[`past_key_values.${l}.decoder.${kv}`] = new ort.Tensor("float32", buffers[2 * l + j], [
              batch,
              d.heads,
              capacity,
              d.headDim,
            ])),
        );
      }
      const a = await plain.run({ ...common, ...plainPast });
      const b = await flat.run(flatFeeds);
      // the flat graph's new slices go into its buffers at `from`, as the engine writes them
      for (let l = 0; l < d.layers; l++) {
        ["key", "value"].forEach((kv, j) => {
          const src = b[newSliceName(l, kv as "key" | "value")].data as Float32Array;
          for (let r = 0; r < batch * d.heads; r++)
            buffers[2 * l + j].set(
              src.subarray(r * seq * d.headDim, (r + 1) * seq * d.headDim),
              (r * capacity + from) * d.headDim,
            );
        });
      }
      plainPast = {};
      for (let l = 0; l < d.layers; l++)
        for (const kv of ["key", "value"])
          plainPast[`past_key_values.${l}.decoder.${kv}`] = a[`present.${l}.decoder.${kv}`] as ort.Tensor;
      if (call === 0)
        for (const name of Object.keys(encoderPast))
          encoderPast[name] = a[name.replace("past_key_values", "present")] as ort.Tensor;

      const la = a.logits.data as Float32Array;
      const lb = b.logits.data as Float32Array;
      if (la.length !== lb.length) throw new Error(`logits differ in size (${la.length} vs ${lb.length})`);
      let diff = 0;
      let scale = 1;
      for (let i = 0; i < la.length; i++) {
        const x = Math.abs(la[i] - lb[i]);
        diff = Number.isNaN(x) ? Infinity : Math.max(diff, x);
        scale = Math.max(scale, Math.abs(la[i]));
      }
      perCall.push(diff / scale);
      for (let r = 0; r < rows; r++) {
        const at = (r * seq + seq - 1) * d.vocab;
        const pa = argmaxOf(la, at, d.vocab);
        if (pa === argmaxOf(lb, at, d.vocab)) agree++;
        tokens[r].push(pa);
      }
      from = to;
    }
    return { maxRelDiff: Math.max(...perCall), argmaxAgreement: agree / (rows * calls), calls, perCall };
  } finally {
    await plain.release();
    await flat?.release();
  }
}

function argmaxOf(x: Float32Array, at: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (x[at + i] > x[at + best]) best = i;
  return best;
}

const recordFile = (flatFile: string) => `${flatFile}.check.json`;

/** The recorded result for `flatFile` when it is for the file as it is now (same size and mtime). */
export function readCheckRecord(flatFile: string): SelfCheckResult | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(recordFile(flatFile), "utf8")) as SelfCheckResult;
    const st = fs.statSync(flatFile);
    return rec.size === st.size && rec.mtimeMs === st.mtimeMs ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the folder's flat decoder of `variant` against its published decoder and records the result (unless `record` is false). */
export async function selfCheckFlat(
  dir: string,
  variant: DecoderVariant,
  opts: CompareOptions & { record?: boolean } = {},
): Promise<SelfCheckResult> {
  const onnxDir = path.join(dir, ONNX_DIR);
  const flatFile = path.join(onnxDir, ONNX_FILES.decoderFlat[variant]);
  const st = fs.statSync(flatFile);
  const layout = (readMetadata(flatFile)[FLAT_LAYOUT_KEY] ?? "capacity") as FlatLayout;
  const tolerance = SELF_CHECK_TOLERANCE[variant];
  const base = { layout, variant, tolerance, size: st.size, mtimeMs: st.mtimeMs };
  let result: SelfCheckResult;
  try {
    const c = await compareDecoders(path.join(onnxDir, ONNX_FILES.decoder[variant]), flatFile, decoderDims(dir), {
      ...opts,
      variant,
    });
    const passed = c.maxRelDiff <= tolerance;
    const what = `${c.calls} calls, 2 guided prompts, logits ${passed ? "within" : "beyond"} ${tolerance} of the published graph's (max relative difference ${c.maxRelDiff.toExponential(2)}, greedy choices ${(100 * c.argmaxAgreement).toFixed(1)} % the same)`;
    result = {
      ...base,
      status: passed ? "passed" : "failed",
      reason: what,
      maxRelDiff: c.maxRelDiff,
      argmaxAgreement: c.argmaxAgreement,
      calls: c.calls,
    };
  } catch (err) {
    result = {
      ...base,
      status: "failed",
      reason: `the flat graph could not be run beside the published one: ${(err as Error).message.split("\n")[0]}`,
      maxRelDiff: Infinity,
      argmaxAgreement: 0,
      calls: 0,
    };
  }
  if (opts.record !== false) {
    try {
      fs.writeFileSync(recordFile(flatFile), JSON.stringify(result, null, 2));
    } catch {
      // a read-only model folder: the check simply runs again at the next load
    }
  }
  return result;
}

export interface VerifiedDecoder {
  /** What the engine should run: a flat layout, or the published graph. */
  layout: FlatLayout | "published";
  /** Why this layout (the flat file's recorded reason, or why no flat file is used). */
  reason: string;
  /** The self-check of the flat file in use, or of the last one that failed; undefined when none was checked. */
  check?: SelfCheckResult;
}

export interface EnsureOptions extends CompareOptions {
  /** One plain line per fallback (default: none). */
  log?: (line: string) => void;
  /** Rewrites a flat file with a given layout (models/transform's writeFlatDecoder; injected to keep imports one way). */
  rewrite: (dir: string, variant: DecoderVariant, layout: FlatLayout) => void;
}

/**
 * The flat decoder of `variant` the engine may use: the checked one, or after a failed check the next layout
 * (rewritten and checked), or finally none (the flat file deleted: the engine runs the published graph).
 * A result recorded for the file as it is now is reused.
 */
export async function ensureVerifiedFlat(
  dir: string,
  variant: DecoderVariant,
  opts: EnsureOptions,
): Promise<VerifiedDecoder> {
  const flatFile = path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat[variant]);
  let lastFailed: SelfCheckResult | undefined;
  for (;;) {
    if (!fs.existsSync(flatFile))
      return {
        layout: "published",
        reason: lastFailed ? `self-check failed: ${lastFailed.reason}` : "no flat decoder file",
        check: lastFailed,
      };
    if (!sourcesUnchanged(flatFile))
      return {
        layout: "published",
        reason: "the flat decoder was written for another version of the published decoder",
        check: lastFailed,
      };
    const check = readCheckRecord(flatFile) ?? (await selfCheckFlat(dir, variant, opts));
    if (check.status === "passed")
      return { layout: check.layout, reason: readMetadata(flatFile)[FLAT_REASON_KEY] ?? "", check };
    lastFailed = check;
    try {
      fs.rmSync(flatFile, { force: true });
      fs.rmSync(recordFile(flatFile), { force: true });
    } catch (err) {
      opts.log?.(
        `cuesmith: the ${check.layout} decoder rewrite (${variant}) failed its self-check (${check.reason}) and cannot be deleted (${(err as Error).message}); using the published decoder graph`,
      );
      return { layout: "published", reason: `self-check failed: ${check.reason}`, check };
    }
    const next = FLAT_LAYOUTS[FLAT_LAYOUTS.indexOf(check.layout) + 1];
    opts.log?.(
      `cuesmith: the ${check.layout} decoder rewrite (${variant}) failed its self-check (${check.reason}); deleted it, ${next ? `trying the ${next} layout` : "using the published decoder graph"}`,
    );
    if (!next) continue;
    try {
      opts.rewrite(dir, variant, next);
    } catch (err) {
      opts.log?.(
        `cuesmith: the ${next} decoder rewrite (${variant}) cannot be written (${(err as Error).message}); using the published decoder graph`,
      );
    }
  }
}
