// The WebGPU runtime of the webgpu provider, set up once per process: Dawn's Node binding (npm `webgpu`) gives
// `navigator.gpu`, the write-buffer shim and the transfer counter wrap its prototypes, the GPU-wait back-off wraps
// the global `setImmediate` it polls with, and onnxruntime-web's WebGPU build runs the sessions on the adapter found
// here. Nothing is loaded until a webgpu session is asked for (or `auto` probes for an adapter).
import * as path from "node:path";
import * as v8 from "node:v8";
import type * as OrtWeb from "onnxruntime-web/webgpu";
import { installGpuWaitBackoff } from "./gpu-wait";
import { installTransferCounter, type TransferTotals } from "./transfer-counter";
import { installWriteBufferShim } from "./write-buffer-shim";

export type OrtWebModule = typeof OrtWeb;

/** What the helper reports about the adapter (GPUAdapterInfo, plus whether it is a software rasteriser). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (Mesa llvmpipe, SwiftShader, WARP): right for tests, never picked by `auto`. */
  software: boolean;
}

export interface WebGpuRuntime {
  ort: OrtWebModule;
  adapter: AdapterInfo;
  /** Live host↔device byte counts (transfer-counter.ts). */
  transfers: TransferTotals;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly info: Partial<Record<"vendor" | "architecture" | "device" | "description", string>> & {
    isFallbackAdapter?: boolean;
  };
}
interface DawnBinding {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
type HostGlobal = Record<string, unknown> &
  Parameters<typeof installGpuWaitBackoff>[0] & {
    GPUQueue: { prototype: Parameters<typeof installWriteBufferShim>[0] };
    GPUBuffer: { prototype: Parameters<typeof installTransferCounter>[1] };
  };

/**
 * Node's own require and global object. dawn.node and onnxruntime-web must share one realm: onnxruntime-web
 * finds `navigator.gpu` on its global and imports its wasm glue with a dynamic `import()`. In production these
 * are this module's `require` and `globalThis`; a test runner that evaluates modules in a sandbox realm (jest)
 * supplies neither, so both come from Node's built-in modules, which always belong to the main realm.
 */
function nodeRealm(): { load: NodeJS.Require; host: HostGlobal } {
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!builtin) return { load: require, host: globalThis as unknown as HostGlobal };
  const mod = builtin("node:module") as typeof import("node:module");
  const vm = builtin("node:vm") as typeof import("node:vm");
  return { load: mod.createRequire(__filename), host: vm.runInThisContext("globalThis") as HostGlobal };
}

/** Whether an adapter is a CPU implementation, from what it says about itself. */
export function isSoftwareAdapter(info: Omit<AdapterInfo, "software">, isFallbackAdapter = false): boolean {
  if (isFallbackAdapter || info.architecture.toLowerCase() === "software") return true;
  return /llvmpipe|lavapipe|swiftshader|microsoft basic render|\bwarp\b/i.test(
    `${info.vendor} ${info.device} ${info.description}`,
  );
}

/**
 * Runs `work` with V8 compiling WebAssembly by its baseline compiler (Liftoff) only, then restores the default.
 * Wrapped around opening a session, it covers the one moment onnxruntime-web instantiates its wasm (~27 MB):
 * V8's optimising tier (TurboFan) would otherwise recompile that module's hot functions in the background, about a
 * minute of CPU on two cores, competing with the text encoder and EnCodec of the first jobs and holding up process
 * exit (V8 finishes its compile jobs before a process ends: `generate --provider webgpu` sat ~35 s after writing its
 * WAV). The wasm only walks the graph and runs shape ops while the kernels run on the device, so the optimised code
 * buys no measurable step time (docs/engine.md). The choice is made when a module is compiled, so restoring the
 * flag afterwards leaves the rest of the process's wasm (the resampler) on V8's default tiering. (Node keeps V8's
 * flags writable after start-up for `v8.setFlagsFromString`; a V8 without the flag ignores it and tiers as usual.)
 */
export async function withBaselineWasm<T>(work: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString("--liftoff-only");
  try {
    return await work();
  } finally {
    v8.setFlagsFromString("--no-liftoff-only");
  }
}

let pending: Promise<WebGpuRuntime> | undefined;

/** The runtime, created on first use; rejects (every time) with why no WebGPU adapter is available. */
export function webGpuRuntime(): Promise<WebGpuRuntime> {
  pending ??= createRuntime();
  return pending;
}

/** The adapter `auto` may use: a hardware one, or null (none, software only, or the runtime failed to load). */
export async function hardwareAdapter(): Promise<AdapterInfo | null> {
  try {
    const { adapter } = await webGpuRuntime();
    return adapter.software ? null : adapter;
  } catch {
    return null;
  }
}

async function createRuntime(): Promise<WebGpuRuntime> {
  const { load, host } = nodeRealm();
  // the package's entry is an ES module that only adds a buffer-unmapping fix on device.destroy(), which the
  // engine never calls; the prebuilt binding itself is plain CommonJS, loadable from any module system
  const pkg = path.dirname(load.resolve("webgpu/package.json"));
  const arch = process.platform === "darwin" ? "universal" : process.arch;
  const dawn = load(path.join(pkg, "dist", `${process.platform}-${arch}`, "dawn.node")) as DawnBinding;
  Object.assign(host, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("no WebGPU adapter (no GPU driver with Vulkan, Metal or Direct3D 12 was found)");
  installWriteBufferShim(host.GPUQueue.prototype, host.SharedArrayBuffer);
  installGpuWaitBackoff(host);
  const transfers = installTransferCounter(host.GPUQueue.prototype, host.GPUBuffer.prototype);
  Object.defineProperty(host, "navigator", {
    value: { ...(host.navigator as object | undefined), gpu },
    configurable: true,
    writable: true,
  });

  const ort = load("onnxruntime-web/webgpu") as OrtWebModule;
  // one wasm thread: the decoder's work is on the GPU; wasm worker threads would only keep the process alive
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  (ort.env.webgpu as { adapter: unknown }).adapter = adapter;
  const raw = adapter.info;
  const info = {
    vendor: raw.vendor ?? "",
    architecture: raw.architecture ?? "",
    device: raw.device ?? "",
    description: raw.description ?? "",
  };
  return { ort, adapter: { ...info, software: isSoftwareAdapter(info, raw.isFallbackAdapter === true) }, transfers };
}
