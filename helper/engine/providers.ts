// Execution-provider choice: the fastest one this onnxruntime build has, CPU as the floor.
import * as ort from "onnxruntime-node";

export type ProviderName = "cuda" | "dml" | "coreml" | "cpu";

const PREFERENCE: ProviderName[] = ["cuda", "dml", "coreml", "cpu"];

/**
 * Providers this onnxruntime-node build can use, best first. `bundled: false` means the binding knows the
 * provider but its libraries were not installed (e.g. CUDA skipped by .npmrc), so it is left out.
 */
export function availableProviders(): ProviderName[] {
  const backends = ort.listSupportedBackends() as { name: string; bundled: boolean }[];
  const present = new Set(backends.filter((b) => b.bundled).map((b) => b.name));
  present.add("cpu");
  return PREFERENCE.filter((p) => present.has(p));
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
  for (const provider of order) {
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
