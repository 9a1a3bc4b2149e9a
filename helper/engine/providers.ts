// Execution-provider choice: the fastest one this machine has, CPU as the floor. "webgpu" is not an
// onnxruntime-node provider: it runs the decoder through onnxruntime-web on Dawn (helper/engine/webgpu), with its
// KV cache kept on the device; the text encoder and EnCodec then use the best of the others.
import * as ort from "onnxruntime-node";
import { hardwareAdapter } from "./webgpu/runtime";

export type ProviderName = "webgpu" | "cuda" | "dml" | "coreml" | "cpu";

const PREFERENCE: ProviderName[] = ["webgpu", "cuda", "dml", "coreml", "cpu"];

/**
 * Providers this onnxruntime-node build can use, best first. `bundled: false` means the binding knows the
 * provider but its libraries were not installed (e.g. CUDA skipped by .npmrc), so it is left out.
 */
export function availableProviders(): ProviderName[] {
  // webgpu is decided by resolveProviders (it needs an adapter probe, which is asynchronous)
  const backends = ort.listSupportedBackends() as { name: string; bundled: boolean }[];
  const present = new Set(backends.filter((b) => b.bundled).map((b) => b.name));
  present.add("cpu");
  return PREFERENCE.filter((p) => p !== "webgpu" && present.has(p));
}

/** `CUESMITH_PROVIDER=cpu` (or cuda, dml, coreml) pins the choice; otherwise the best available first. */
export function providerOrder(requested?: string): ProviderName[] {
  const available = availableProviders();
  if (!requested || requested === "auto") return available;
  if (!PREFERENCE.includes(requested as ProviderName)) {
    throw new RangeError(`unknown execution provider "${requested}" (use auto, ${PREFERENCE.join(", ")})`);
  }
  return [requested as ProviderName, ...(requested === "cpu" ? [] : (["cpu"] as ProviderName[]))];
}

/**
 * providerOrder, with webgpu first under "auto" when a hardware WebGPU adapter exists: its KV cache stays on the
 * device, where the onnxruntime-node GPU providers copy it across every step. A software adapter (Mesa llvmpipe,
 * SwiftShader, WARP) is never chosen by "auto": it is slower than the CPU provider and is there for tests.
 */
export async function resolveProviders(requested?: string): Promise<ProviderName[]> {
  const order = providerOrder(requested);
  if (requested && requested !== "auto") return order;
  return (await hardwareAdapter()) ? ["webgpu", ...order] : order;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** Providers tried before this one, with why they failed. */
  fallbacks: { provider: ProviderName; reason: string }[];
}

export async function openSession(
  file: string,
  order: ProviderName[],
  options: ort.InferenceSession.SessionOptions = {},
): Promise<OpenedSession> {
  const fallbacks: OpenedSession["fallbacks"] = [];
  // webgpu sessions are onnxruntime-web's (webgpu/session.ts), never onnxruntime-node's
  for (const provider of order.filter((p) => p !== "webgpu")) {
    try {
      const session = await ort.InferenceSession.create(file, { ...options, executionProviders: [provider] });
      return { session, provider, fallbacks };
    } catch (err) {
      fallbacks.push({ provider, reason: err instanceof Error ? err.message : String(err) });
      if (provider === "cpu") break;
    }
  }
  const last = fallbacks[fallbacks.length - 1];
  throw new Error(last ? last.reason : "no execution provider could open the model");
}
