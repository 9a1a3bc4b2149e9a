// Two things every test file gets:
//
// Jest runs each test file in its own realm, so a Float32Array made there is not `instanceof` the Float32Array
// that onnxruntime-node's native binding (loaded once in Node's main realm) checks against. Sharing the main
// realm's typed-array and buffer constructors makes tensors cross the boundary as they do in production.
//
// Its own temporary folder, removed when the file ends. Tests, the daemons they start and Chromium all make their
// folders under os.tmpdir(); pointing TMPDIR (TEMP and TMP on Windows) at one folder per test file keeps a run
// from leaving hundreds of folders behind. It is set before the test realm copies process.env, so children
// spawned with that copy inherit it too.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { TestEnvironment } = require("jest-environment-node");

const TEMP_VARS = ["TMPDIR", "TEMP", "TMP"];

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

class CuesmithTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-test-"));
    const savedTemp = TEMP_VARS.map((name) => [name, process.env[name]]);
    for (const name of TEMP_VARS) process.env[name] = tempDir;
    super(config, context);
    this.tempDir = tempDir;
    this.savedTemp = savedTemp;
    for (const name of SHARED) this.global[name] = globalThis[name];
  }

  async teardown() {
    for (const [name, value] of this.savedTemp) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    // a daemon a test killed may still be closing files in it: retry, and never fail a test file over it
    try {
      fs.rmSync(this.tempDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (err) {
      console.warn(`left ${this.tempDir}: ${err.message}`);
    }
    await super.teardown();
  }
}

module.exports = CuesmithTestEnvironment;
