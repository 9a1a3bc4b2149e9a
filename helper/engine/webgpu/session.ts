// Opens the published merged decoder (`decoder_model_merged.onnx`, fp32) on the WebGPU execution provider:
// from bytes (onnxruntime-web reads a path as a URL), with every `present.*` output left on the device so the
// decode loop can feed it back as the next step's past (onnxruntime-web's form of IO binding); only the logits
// come back to the CPU. q8's DynamicQuantizeMatMul is not a WebGPU EP op: it would run on the CPU and move
// activations across every step, so that decoder is refused here.
import * as fs from "node:fs";
import * as path from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import type { DecoderVariant } from "../../../models/layout";
import { modelPaths } from "../../../models/layout";
import { webGpuRuntime, withBaselineWasm, type AdapterInfo } from "./runtime";

export interface WebGpuDecoder {
  session: InferenceSession;
  variant: DecoderVariant;
  adapter: AdapterInfo;
}

/** The outputs that stay on the device between steps. */
export function presentNames(layers: number): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++)
    for (const part of ["decoder", "encoder"])
      for (const kv of ["key", "value"]) names.push(`present.${l}.${part}.${kv}`);
  return names;
}

/** External weight files next to a model (`<name>_data`, `<name>.onnx_data`), as onnxruntime-web wants them. */
function externalData(file: string): { path: string; data: Uint8Array }[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const stem = base.replace(/\.onnx$/, "");
  return fs
    .readdirSync(dir)
    .filter((f) => f !== base && (f.startsWith(`${base}_data`) || f.startsWith(`${stem}.onnx_data`)))
    .map((f) => ({ path: f, data: fs.readFileSync(path.join(dir, f)) }));
}

/**
 * Opens the folder's fp32 decoder on WebGPU. Throws, with the reason and the fix, when the variant is q8 or the
 * fp32 file is missing (the default fetch installs q8 only) or no adapter exists.
 */
export async function openWebGpuDecoder(
  dir: string,
  variant: DecoderVariant | "auto",
  layers: number,
): Promise<WebGpuDecoder> {
  if (variant === "q8")
    throw new Error("the q8 decoder's DynamicQuantizeMatMul does not run on the WebGPU EP; use --variant fp32");
  const file = modelPaths(dir, "fp32").decoder;
  if (!fs.existsSync(file)) {
    throw new Error(
      `webgpu runs the fp32 decoder, and ${path.relative(dir, file)} is missing: \`npx cuesmith models fetch musicgen-small --variant fp32\``,
    );
  }
  const { ort, adapter } = await webGpuRuntime();
  const preferredOutputLocation: Record<string, "gpu-buffer" | "cpu"> = { logits: "cpu" };
  for (const name of presentNames(layers)) preferredOutputLocation[name] = "gpu-buffer";
  const session = await withBaselineWasm(() =>
    ort.InferenceSession.create(fs.readFileSync(file), {
      executionProviders: ["webgpu"],
      graphOptimizationLevel: "all",
      preferredOutputLocation,
      externalData: externalData(file),
      // errors only: onnxruntime warns on every load that shape-related nodes stay on the CPU, which is by design
      logSeverityLevel: 3,
    }),
  );
  // onnxruntime-web and -node share onnxruntime-common's session interface
  return { session: session as unknown as InferenceSession, variant: "fp32", adapter };
}
