// Opens a MusicGen folder in the published layout (Xenova/musicgen-small) once: configs, tokenizer and the
// three ONNX sessions. Every failure names the file and the fix.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ort from "onnxruntime-node";
import { DecoderVariant, modelPaths, ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { FLAT_LAYOUT_KEY, FLAT_REASON_KEY, FlatLayout } from "../../models/transform/flat-decoder";
import { verifyFlatDecoder, type VerifiedDecoder } from "../../models/transform";
import { readMetadata, sourcesUnchanged } from "../../models/transform/onnx-file";
import { MusicgenConfig, parseMusicgenConfig } from "./config";
import { EngineError, FETCH_HINT } from "./errors";
import type { CacheShape, DecoderGraph, KvCache } from "./kv-cache";
import { openSession, ProviderName } from "./providers";
import { PromptTokenizer } from "./tokenizer";
import { DeviceKvCache } from "./webgpu/device-kv-cache";
import type { AdapterInfo } from "./webgpu/runtime";
import { openWebGpuDecoder, type WebGpuDecoder } from "./webgpu/session";

export interface LoadedModel {
  dir: string;
  variant: DecoderVariant;
  config: MusicgenConfig;
  tokenizer: PromptTokenizer;
  textEncoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  /** Which decoder graph `decoder` runs: the flat rewrite when the folder has an up-to-date one. */
  decoderGraph: DecoderGraph;
  encodec: ort.InferenceSession;
  /** The layout `decoder` runs and why (the flat file's recorded reason, or why the published graph). */
  decoderLayout: FlatLayout | "published";
  decoderLayoutReason: string;
  /** The flat decoder's self-check on these weights (models/transform/self-check.ts). */
  selfCheck: SelfCheckStatus;
  provider: ProviderName;
  fallbacks: { provider: ProviderName; reason: string }[];
  /** The WebGPU adapter the decoder runs on (webgpu provider only). */
  adapter?: AdapterInfo;
  /** How a window keeps its self-attention cache, when not kv-cache.ts's way (webgpu: on the device). */
  createKvCache?: (shape: CacheShape) => KvCache;
}

export interface SelfCheckStatus {
  status: "passed" | "failed" | "not-run";
  reason: string;
}

export interface LoadOptions {
  variant?: DecoderVariant | "auto";
  providers: ProviderName[];
  /** "auto" (default): the flat decoder when present and up to date, else the published one. */
  decoderGraph?: "auto" | "flat" | "plain";
  /** Intra-op threads; 0 lets onnxruntime decide. */
  threads?: number;
  /** Further onnxruntime session options over the defaults (graph optimisation "all"), for every session. */
  sessionOptions?: ort.InferenceSession.SessionOptions;
  /** Check the flat decoder against the published one on first use of each version of the file. Default true. */
  selfCheck?: boolean;
  /** Where the one-line notice of a fallback goes (default console.warn). */
  log?: (line: string) => void;
}

function readJson(dir: string, name: string, required: boolean): Record<string, unknown> | undefined {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    if (!required) return undefined;
    throw new EngineError("model_missing", `${name} is missing in ${dir}`, name, FETCH_HINT);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new EngineError(
      "model_corrupt",
      `${name} in ${dir} is not valid JSON`,
      name,
      "re-fetch the model (`npx cuesmith models verify` shows what is damaged)",
    );
  }
}

/** "auto": the 8-bit decoder when it is installed (4x less memory traffic per step), else fp32. */
export function resolveVariant(dir: string, variant: DecoderVariant | "auto" = "auto"): DecoderVariant {
  if (variant !== "auto") return variant;
  return fs.existsSync(path.join(dir, ONNX_DIR, ONNX_FILES.decoder.q8)) ? "q8" : "fp32";
}

export async function loadModel(dir: string, options: LoadOptions): Promise<LoadedModel> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new EngineError("model_missing", `model folder ${dir} does not exist`, dir, FETCH_HINT);
  }
  const config = parseMusicgenConfig(readJson(dir, "config.json", true), path.join(dir, "config.json"));
  // webgpu runs only the decoder (fp32, published graph); the text encoder and EnCodec use the next provider
  const webgpuFallbacks: LoadedModel["fallbacks"] = [];
  let gpu: WebGpuDecoder | undefined;
  if (options.providers[0] === "webgpu") {
    try {
      gpu = await openWebGpuDecoder(dir, options.variant ?? "auto", config.layers);
    } catch (err) {
      webgpuFallbacks.push({ provider: "webgpu", reason: firstLine((err as Error).message) });
    }
  }
  const variant = gpu ? gpu.variant : resolveVariant(dir, options.variant);
  const paths = modelPaths(dir, variant);
  const tokenizerJson = readJson(dir, "tokenizer.json", true)!;
  const tokenizerConfig = readJson(dir, "tokenizer_config.json", false) ?? {};
  let tokenizer: PromptTokenizer;
  try {
    tokenizer = PromptTokenizer.fromJson(tokenizerJson, tokenizerConfig);
  } catch (err) {
    throw new EngineError(
      "model_corrupt",
      `tokenizer.json in ${dir} cannot be loaded (${(err as Error).message})`,
      "tokenizer.json",
      "re-fetch the model",
    );
  }

  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    ...options.sessionOptions,
  };
  const open = async (file: string) => {
    const rel = path.relative(dir, file);
    if (!fs.existsSync(file)) throw new EngineError("model_missing", `${rel} is missing in ${dir}`, rel, FETCH_HINT);
    try {
      return await openSession(file, options.providers, sessionOptions);
    } catch (err) {
      throw new EngineError(
        "model_corrupt",
        `${rel} in ${dir} cannot be loaded (${firstLine((err as Error).message)})`,
        rel,
        "the file is damaged or incomplete: `npx cuesmith models verify --deep` checks it, `npx cuesmith models fetch musicgen-small` repairs it",
      );
    }
  };
  const textEncoder = await open(paths.textEncoder);
  // the decoder: on webgpu the published graph with its cache on the device, else the self-checked flat rewrite
  // (or the published graph) through onnxruntime-node
  let decoderPart: Pick<
    LoadedModel,
    | "decoder"
    | "decoderGraph"
    | "decoderLayout"
    | "decoderLayoutReason"
    | "selfCheck"
    | "provider"
    | "adapter"
    | "createKvCache"
  >;
  let decoderFallbacks: LoadedModel["fallbacks"] = [];
  if (gpu) {
    decoderPart = {
      decoder: gpu.session,
      decoderGraph: { kind: "plain" },
      decoderLayout: "published",
      decoderLayoutReason: "webgpu runs the published graph with its K/V cache kept on the device",
      selfCheck: { status: "not-run", reason: "no flat rewrite is used on webgpu" },
      provider: "webgpu",
      adapter: gpu.adapter,
      createKvCache: (shape) => new DeviceKvCache(shape),
    };
  } else {
    const { verified, selfCheck } = await chooseDecoder(dir, variant, paths.decoderFlat, options);
    const useFlat = verified.layout !== "published";
    if (options.decoderGraph === "flat" && !useFlat) {
      const rel = path.relative(dir, paths.decoderFlat);
      throw new EngineError(
        "model_missing",
        `${rel} cannot be used in ${dir}: ${verified.reason}`,
        rel,
        "`npx cuesmith models fetch` writes it after a fetch",
      );
    }
    const decoder = await open(useFlat ? paths.decoderFlat : paths.decoder);
    decoderPart = {
      decoder: decoder.session,
      decoderGraph: verified.layout === "published" ? { kind: "plain" } : { kind: "flat", layout: verified.layout },
      decoderLayout: verified.layout,
      decoderLayoutReason: verified.reason,
      selfCheck,
      provider: decoder.provider,
    };
    decoderFallbacks = decoder.fallbacks;
  }
  const encodec = await open(paths.encodec);
  return {
    dir,
    variant,
    config,
    tokenizer,
    textEncoder: textEncoder.session,
    ...decoderPart,
    encodec: encodec.session,
    fallbacks: [...webgpuFallbacks, ...textEncoder.fallbacks, ...decoderFallbacks, ...encodec.fallbacks],
  };
}

/** The flat decoder when the folder has one that passes its self-check (or the check is off), else the published graph. */
async function chooseDecoder(
  dir: string,
  variant: DecoderVariant,
  flatFile: string,
  options: LoadOptions,
): Promise<{ verified: VerifiedDecoder; selfCheck: SelfCheckStatus }> {
  if (options.decoderGraph === "plain")
    return {
      verified: { layout: "published", reason: "the published graph was asked for" },
      selfCheck: { status: "not-run", reason: "the published graph was asked for" },
    };
  if (!fs.existsSync(flatFile))
    return {
      verified: { layout: "published", reason: "no flat decoder file" },
      selfCheck: { status: "not-run", reason: "no flat decoder file" },
    };
  if (options.selfCheck === false) {
    const meta = readMetadata(flatFile);
    const usable = sourcesUnchanged(flatFile);
    const verified: VerifiedDecoder = usable
      ? { layout: (meta[FLAT_LAYOUT_KEY] ?? "capacity") as FlatLayout, reason: meta[FLAT_REASON_KEY] ?? "" }
      : { layout: "published", reason: "the flat decoder was written for another version of the published decoder" };
    return { verified, selfCheck: { status: "not-run", reason: "self-check turned off" } };
  }
  const verified = await verifyFlatDecoder(dir, variant, {
    log: options.log ?? ((line) => console.warn(line)),
    sessionOptions: options.threads ? { intraOpNumThreads: options.threads } : undefined,
  });
  const selfCheck: SelfCheckStatus = verified.check
    ? { status: verified.check.status, reason: verified.check.reason }
    : { status: "not-run", reason: verified.reason };
  return { verified, selfCheck };
}

function firstLine(s: string): string {
  return s.split("\n")[0].slice(0, 300);
}
