// The small pieces of the webgpu provider that need no GPU: the write-buffer shim for dawn.node, the host↔device
// byte counter, the back-off of Dawn's GPU-wait polling, software-adapter detection, the device-resident KV cache's bookkeeping (with fake tensors) and
// where webgpu sits in the provider order.
import { promisify } from "node:util";
import * as ort from "onnxruntime-node";
import { availableProviders, providerOrder, resolveProviders } from "../../helper/engine/providers";
import { DeviceKvCache } from "../../helper/engine/webgpu/device-kv-cache";
import { installGpuWaitBackoff, isDawnTick, SPIN_MS } from "../../helper/engine/webgpu/gpu-wait";
import { isSoftwareAdapter } from "../../helper/engine/webgpu/runtime";
import {
  installTransferCounter,
  snapshot,
  transferSince,
  uploadBytes,
} from "../../helper/engine/webgpu/transfer-counter";
import { copyView, installWriteBufferShim, type WriteBufferTarget } from "../../helper/engine/webgpu/write-buffer-shim";
import { WEBGPU_ADAPTER } from "../helpers/webgpu";

/** A queue that, like dawn.node, refuses views on a SharedArrayBuffer and records what it was given. */
function fakeQueueClass() {
  const calls: { data: ArrayBufferView | ArrayBuffer; dataOffset?: number; size?: number }[] = [];
  class Queue implements WriteBufferTarget {
    writeBuffer(
      _buffer: unknown,
      _offset: number,
      data: ArrayBufferView | ArrayBuffer,
      dataOffset?: number,
      size?: number,
    ) {
      if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) throw new Error("Invalid argument");
      calls.push({ data, dataOffset, size });
    }
  }
  return { Queue, calls };
}

/** What an N-API `Function::New` callback looks like from JavaScript: anonymous, no parameters, native code. */
function nativeLike(): () => void {
  const anonymous = (() => () => {})();
  return new Proxy(anonymous, {});
}

describe("GPU-wait back-off", () => {
  it("recognises Dawn's poll (an anonymous native function, no arguments) and nothing else", () => {
    expect(isDawnTick(nativeLike(), [])).toBe(true);
    const js = () => {};
    function named() {}
    const wrong = [
      isDawnTick(js, []), // JavaScript
      isDawnTick(named, []),
      isDawnTick(named.bind(null), []), // native, but named "bound named"
      isDawnTick(nativeLike(), [1]), // arguments
      isDawnTick(setTimeout, []), // a named builtin
      isDawnTick(undefined, []),
    ];
    expect(wrong).toEqual([false, false, false, false, false, false]);
  });

  it("lets a wait spin for SPIN_MS, then polls every millisecond; a pause starts a new wait; other calls pass", () => {
    let clock = 0;
    const routed: string[] = [];
    const host = {
      setImmediate: (cb: (...a: unknown[]) => void, ...args: unknown[]) => {
        routed.push(`immediate(${args.join(",")})`);
        return cb;
      },
      setTimeout: (_cb: () => void, ms: number) => routed.push(`timeout ${ms}`),
    };
    installGpuWaitBackoff(host, () => clock);
    const tick = nativeLike();
    for (const t of [0, 0.2, SPIN_MS - 0.1, SPIN_MS, SPIN_MS + 1.1, 20, 20.5]) {
      clock = t;
      host.setImmediate(tick);
    }
    host.setImmediate(() => {}, "a", "b");
    expect(routed).toEqual([
      "immediate()", // a wait starts: spin
      "immediate()",
      "immediate()",
      "timeout 1", // SPIN_MS into the wait: poll
      "timeout 1",
      "immediate()", // a pause, then a new wait
      "immediate()",
      "immediate(a,b)", // not Dawn's: untouched
    ]);
  });

  it("keeps what hangs off Node's setImmediate, such as util.promisify's custom form", async () => {
    const host = { setImmediate, setTimeout };
    installGpuWaitBackoff(host);
    expect(host.setImmediate).not.toBe(setImmediate);
    expect(host.setImmediate.name).toBe("setImmediate");
    await expect(promisify(host.setImmediate)("value")).resolves.toBe("value");
  });
});

describe("write-buffer shim", () => {
  it("copies views on a SharedArrayBuffer into an ordinary buffer, keeping type, bytes and element offsets", () => {
    const { Queue, calls } = fakeQueueClass();
    expect(() => new Queue().writeBuffer({}, 0, new Float32Array(new SharedArrayBuffer(16)))).toThrow(
      "Invalid argument",
    );
    expect(installWriteBufferShim(Queue.prototype)).toBe(true);
    const shared = new Float32Array(new SharedArrayBuffer(32), 8, 4); // a view into the middle, as wasm memory gives
    shared.set([1.5, -2, 3, 4]);
    new Queue().writeBuffer({}, 0, shared, 1, 2);
    const sent = calls[0].data as Float32Array;
    expect(sent).toBeInstanceOf(Float32Array);
    expect(sent.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(sent)).toEqual([1.5, -2, 3, 4]);
    expect([calls[0].dataOffset, calls[0].size]).toEqual([1, 2]);
  });

  it("passes ordinary buffers through untouched and installs only once", () => {
    const { Queue, calls } = fakeQueueClass();
    installWriteBufferShim(Queue.prototype);
    expect(installWriteBufferShim(Queue.prototype)).toBe(false);
    const plain = new Uint8Array([1, 2, 3]);
    new Queue().writeBuffer({}, 0, plain);
    expect(calls[0].data).toBe(plain);
  });

  it("copyView keeps DataViews as DataViews", () => {
    const dv = new DataView(new SharedArrayBuffer(4));
    dv.setUint8(2, 9);
    const copy = copyView(dv) as DataView;
    expect(copy).toBeInstanceOf(DataView);
    expect(copy.getUint8(2)).toBe(9);
  });
});

describe("transfer counter", () => {
  it("counts uploads in bytes (offsets and sizes in elements) and reads mapped for READ only", async () => {
    const { Queue } = fakeQueueClass();
    class FakeBuffer {
      constructor(readonly size: number) {}
      async mapAsync(_mode: number, _offset?: number, _size?: number): Promise<void> {}
    }
    const totals = installTransferCounter(Queue.prototype, FakeBuffer.prototype);
    expect(installTransferCounter(Queue.prototype, FakeBuffer.prototype)).toBe(totals);
    const before = snapshot(totals);
    new Queue().writeBuffer({}, 0, new Float32Array(10), 2, 3); // 12 bytes
    new Queue().writeBuffer({}, 0, new ArrayBuffer(5)); // 5 bytes
    await new FakeBuffer(4096).mapAsync(1); // GPUMapMode.READ: whole buffer
    await new FakeBuffer(4096).mapAsync(1, 1024, 256);
    await new FakeBuffer(4096).mapAsync(2); // WRITE: not a read-back
    expect(transferSince(before, snapshot(totals))).toEqual({ uploaded: 17, readBack: 4096 + 256, reads: 2 });
    expect(uploadBytes(new BigInt64Array(4))).toBe(32);
  });
});

describe("software adapters", () => {
  const info = (device: string, architecture = "", vendor = "") => ({ vendor, architecture, device, description: "" });
  it("recognises llvmpipe, SwiftShader and WARP, and a fallback adapter, but not a GPU", () => {
    expect(isSoftwareAdapter(info("llvmpipe (LLVM 15.0.6, 256 bits)", "software", "mesa"))).toBe(true);
    expect(isSoftwareAdapter(info("SwiftShader Device (Subzero)"))).toBe(true);
    expect(isSoftwareAdapter(info("Microsoft Basic Render Driver"))).toBe(true);
    expect(isSoftwareAdapter(info("whatever"), true)).toBe(true);
    expect(isSoftwareAdapter(info("NVIDIA GeForce RTX 4070", "ada-lovelace", "nvidia"))).toBe(false);
    expect(isSoftwareAdapter(info("Apple M2", "metal-3", "apple"))).toBe(false);
  });
});

describe("device-resident KV cache", () => {
  /** A stand-in for a GPU tensor: counts its disposals. */
  const gpuTensor = (dims: number[]) => ({
    location: "gpu-buffer",
    dims,
    disposed: 0,
    dispose() {
      this.disposed++;
    },
  });
  const outputs = (past: number, seq: number) => {
    const out: Record<string, ReturnType<typeof gpuTensor>> = {};
    for (let l = 0; l < 2; l++) {
      for (const kv of ["key", "value"]) {
        out[`present.${l}.decoder.${kv}`] = gpuTensor([2, 4, past + seq, 16]);
        out[`present.${l}.encoder.${kv}`] = gpuTensor(past === 0 ? [2, 4, 3, 16] : [0, 4, 1, 16]);
      }
    }
    return out;
  };
  const asOut = (o: Record<string, unknown>) => o as unknown as ort.InferenceSession.OnnxValueMapType;

  it("feeds each step's presents back as the next past and disposes every device tensor exactly once", () => {
    const cache = new DeviceKvCache({ layers: 2, batch: 2, heads: 4, headDim: 16, capacity: 10 });
    const feeds: Record<string, ort.Tensor> = {};
    cache.feed(feeds, 0);
    expect(feeds["past_key_values.1.decoder.value"].dims).toEqual([2, 4, 0, 16]);
    const steps = [outputs(0, 1), outputs(1, 1), outputs(2, 1)];
    steps.forEach((out, t) => {
      if (t > 0) {
        cache.feed(feeds, t);
        expect(feeds["past_key_values.0.decoder.key"]).toBe(steps[t - 1]["present.0.decoder.key"]);
      }
      cache.update(asOut(out), t);
    });
    // a later step's decoder presents replace the earlier ones; its empty encoder presents go at once
    expect(steps[0]["present.0.decoder.key"].disposed).toBe(1);
    expect(steps[1]["present.1.encoder.value"].disposed).toBe(1);
    // the first call's encoder K/V serve the whole window
    expect(steps[0]["present.0.encoder.key"].disposed).toBe(0);
    cache.release();
    const all = steps.flatMap((s) => Object.values(s));
    expect(all.map((t) => t.disposed)).toEqual(all.map(() => 1));
  });
});

describe("provider order with webgpu", () => {
  it("pins a named provider with CPU behind it, and refuses unknown names", async () => {
    expect(await resolveProviders("webgpu")).toEqual(["webgpu", "cpu"]);
    expect(await resolveProviders("cpu")).toEqual(["cpu"]);
    expect(providerOrder("webgpu")).toEqual(["webgpu", "cpu"]);
    expect(() => providerOrder("metal")).toThrow(/webgpu/);
    expect(availableProviders()).not.toContain("webgpu");
  });

  it("auto takes webgpu only on a hardware adapter (Mesa's llvmpipe here is software)", async () => {
    const software =
      !WEBGPU_ADAPTER ||
      WEBGPU_ADAPTER.architecture === "software" ||
      /llvmpipe|swiftshader/i.test(WEBGPU_ADAPTER.device);
    const auto = await resolveProviders("auto");
    expect(auto.includes("webgpu")).toBe(!software);
    expect(auto[auto.length - 1]).toBe("cpu");
  });
});
