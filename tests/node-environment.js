// Jest runs each test file in its own realm, so a Float32Array made there is not `instanceof` the Float32Array
// that onnxruntime-node's native binding (loaded once in Node's main realm) checks against. Sharing the main
// realm's typed-array and buffer constructors makes tensors cross the boundary as they do in production.
const { TestEnvironment } = require("jest-environment-node");

const SHARED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "Buffer",
];

class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArrayEnvironment;
