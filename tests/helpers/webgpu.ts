// Whether this machine has a WebGPU adapter the webgpu provider's tests can run on (on CI: Mesa's software
// Vulkan, installed by scripts/setup.sh). Asked once, synchronously, in a child process, so a test file can
// choose `describe` or `describe.skip` at load time without loading Dawn into the test process.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const PROBE = `
const path = require("path");
const pkg = path.dirname(require.resolve("webgpu/package.json"));
const arch = process.platform === "darwin" ? "universal" : process.arch;
const dawn = require(path.join(pkg, "dist", process.platform + "-" + arch, "dawn.node"));
dawn.create([]).requestAdapter().then((a) => {
  process.stdout.write(a ? JSON.stringify({ device: a.info.device, architecture: a.info.architecture }) : "null");
  process.exit(0);
}, () => { process.stdout.write("null"); process.exit(0); });
`;

function probe(): { device: string; architecture: string } | null {
  try {
    const out = execFileSync(process.execPath, ["-e", PROBE], {
      cwd: path.resolve(__dirname, "..", ".."),
      timeout: 60_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return JSON.parse(out.toString() || "null") as { device: string; architecture: string } | null;
  } catch {
    return null;
  }
}

/** The adapter's device name, or null when there is none (the tests then say so and are skipped). */
export const WEBGPU_ADAPTER = probe();

if (!WEBGPU_ADAPTER) {
  console.warn(
    "no WebGPU adapter: the webgpu provider tests are skipped (scripts/setup.sh installs Mesa's software Vulkan from bookworm-backports)",
  );
}
