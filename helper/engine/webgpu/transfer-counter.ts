// Counts the bytes that cross between host and device: uploads through GPUQueue.writeBuffer and read-backs
// through GPUBuffer.mapAsync(READ) (how onnxruntime-web downloads a tensor). The engine's tests and the bench
// use it to show that a decoder step reads back only its logits while the KV cache stays on the device.
import type { WriteBufferTarget } from "./write-buffer-shim";

export interface TransferTotals {
  /** Host → device bytes (writeBuffer). */
  uploaded: number;
  /** Device → host bytes (buffers mapped for reading). */
  readBack: number;
  /** Number of read-backs. */
  reads: number;
}

type QueueLike = WriteBufferTarget;
interface BufferLike {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
}

const TOTALS = Symbol.for("cuesmith.transferTotals");
/** GPUMapMode.READ */
const MAP_READ = 1;

/** A copy of the live totals, to compare with a later one. */
export function snapshot(totals: TransferTotals): TransferTotals {
  return { ...totals };
}

/** What moved between two snapshots. */
export function transferSince(before: TransferTotals, after: TransferTotals): TransferTotals {
  return {
    uploaded: after.uploaded - before.uploaded,
    readBack: after.readBack - before.readBack,
    reads: after.reads - before.reads,
  };
}

/** Bytes a writeBuffer call uploads: `dataOffset`/`size` count elements of a typed array, bytes otherwise. */
export function uploadBytes(data: ArrayBufferView | ArrayBuffer, dataOffset = 0, size?: number): number {
  const element =
    ArrayBuffer.isView(data) && !(data instanceof DataView)
      ? (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
      : 1;
  const total = data.byteLength / element;
  return (size ?? total - dataOffset) * element;
}

/**
 * Wraps the two prototypes once and returns the live totals. The totals live on the queue prototype (under a
 * registered symbol), so every module instance that installs the counter, in any realm, sees the same numbers.
 */
export function installTransferCounter(queueProto: QueueLike, bufferProto: BufferLike): TransferTotals {
  const q = queueProto as QueueLike & { [TOTALS]?: TransferTotals };
  const existing = q[TOTALS];
  if (existing) return existing;
  const totals: TransferTotals = { uploaded: 0, readBack: 0, reads: 0 };
  const write = queueProto.writeBuffer;
  q.writeBuffer = function (this: unknown, buffer, bufferOffset, data, dataOffset, size) {
    totals.uploaded += uploadBytes(data, dataOffset, size);
    return write.call(this, buffer, bufferOffset, data, dataOffset, size);
  };
  const map = bufferProto.mapAsync;
  bufferProto.mapAsync = function (this: BufferLike, mode, offset, size) {
    if (mode & MAP_READ) {
      totals.readBack += size ?? this.size - (offset ?? 0);
      totals.reads++;
    }
    return map.call(this, mode, offset, size);
  };
  Object.defineProperty(q, TOTALS, { value: totals });
  return totals;
}
