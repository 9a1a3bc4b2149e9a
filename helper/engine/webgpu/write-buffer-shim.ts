// dawn.node's GPUQueue.writeBuffer rejects typed-array views on a SharedArrayBuffer ("Invalid argument"), and
// onnxruntime-web's wasm memory is one: every tensor it uploads is such a view. The shim copies those views into
// an ordinary buffer before the call; every other call passes through unchanged. Installed once per prototype.

/** The slice of GPUQueue the shim touches. */
export interface WriteBufferTarget {
  writeBuffer(
    buffer: unknown,
    bufferOffset: number,
    data: ArrayBufferView | ArrayBuffer,
    dataOffset?: number,
    size?: number,
  ): unknown;
}

const SHIMMED = Symbol.for("cuesmith.writeBufferShim");

/**
 * Wraps `proto.writeBuffer`. `dataOffset` and `size` count elements of a typed array (bytes for a DataView or
 * ArrayBuffer), as in the WebGPU spec, so the copy keeps the view's element type and they keep their meaning.
 * Returns false when the prototype was already shimmed.
 */
export function installWriteBufferShim(
  proto: WriteBufferTarget,
  sharedBuffer: unknown = globalThis.SharedArrayBuffer,
): boolean {
  const marked = proto as WriteBufferTarget & { [SHIMMED]?: boolean };
  if (marked[SHIMMED]) return false;
  const original = proto.writeBuffer;
  const Shared = sharedBuffer as (new (n: number) => SharedArrayBuffer) | undefined;
  marked.writeBuffer = function (this: unknown, buffer, bufferOffset, data, dataOffset, size) {
    if (Shared && ArrayBuffer.isView(data) && data.buffer instanceof Shared) data = copyView(data);
    return original.call(this, buffer, bufferOffset, data, dataOffset, size);
  };
  Object.defineProperty(marked, SHIMMED, { value: true });
  return true;
}

/** The same view type over a fresh ordinary ArrayBuffer holding the same bytes. */
export function copyView(view: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  if (view instanceof DataView) return new DataView(bytes.buffer);
  const Ctor = view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView;
  return new Ctor(bytes.buffer);
}
