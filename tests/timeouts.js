// Jest gives every test 30 s (jest.config.js). These files hold tests that run whole generations on contract
// models, build models, or drive the panel in a browser, and were measured one file at a time on a loaded
// 2-CPU machine: each gets about three times its slowest test's time there, so load alone does not fail them.
// A test that needs more than 30 s belongs here, with the figure it was measured at.
const path = require("node:path");

const LONGER_MS = {
  "unit/audio-tempo.test.ts": 60000, // a 30 s bed at 48 kHz: 12 s
  "integration/duck-depth.test.ts": 60000, // helper start with warm-up: 18 s
  "integration/engine.test.ts": 90000, // 30 s windows with a re-fed prompt: 25 s
  "integration/flat-decoder.test.ts": 150000, // greedy codes across windows: 40 s
  "integration/helper-server.test.ts": 60000, // a ducked voice-over bed: 13 s
  "integration/score-markers.test.ts": 60000, // five beds placed against a real helper: 19 s
  "browser/panel-harness.test.ts": 120000, // bundling the harness and starting Chromium (beforeAll): 38 s
  "integration/webgpu-engine.test.ts": 300000, // a 31 s clip on llvmpipe (two windows): 67 s alone, 101 s in the suite
  "integration/webgpu-cli.test.ts": 90000, // a machine's first webgpu process, compiling its shaders: 13 s
};

const file = path.relative(__dirname, expect.getState().testPath).split(path.sep).join("/");
if (LONGER_MS[file]) jest.setTimeout(LONGER_MS[file]);
