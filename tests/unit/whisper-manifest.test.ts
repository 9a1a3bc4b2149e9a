// The whisper-base manifest entry, its fetch through the shared fetch code (offline: one clear line), and the
// CLI's contract-model build for Whisper.
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { runModelsCommand } from "../../helper/cli/models-command";
import { isWhisperFolder, whisperRequiredFiles } from "../../helper/voice/transcribe/layout";
import { loadManifest, parseManifest } from "../../models/manifest";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-whisper-manifest-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the whisper-base manifest entry", () => {
  it("lists exactly the published layout's files per variant, and says it is not pinned", () => {
    const m = loadManifest().models["whisper-base"];
    expect(m.repo).toBe("onnx-community/whisper-base");
    expect(m.variants.fp32).toEqual(whisperRequiredFiles("fp32"));
    expect(m.variants.q8).toEqual(whisperRequiredFiles("q8"));
    expect(m.revision).toBe("main");
    expect(m.unpinned).toBe(true);
    for (const f of Object.values(m.files)) {
      expect(f.sha256).toBeNull();
      expect(f.sizeApprox).toBe(true);
      expect(f.source).toMatch(/NOT read from the hub/);
    }
  });

  it("accepts a branch revision only when the entry is marked unpinned", () => {
    const raw = JSON.parse(JSON.stringify(loadManifest()));
    delete raw.models["whisper-base"].unpinned;
    expect(() => parseManifest(raw)).toThrow(/whisper-base"\]\.revision must be a 40-hex commit sha/);
  });
});

describe("cuesmith models fetch whisper-base / build-test --model whisper-tiny", () => {
  it("fails fast offline with one line naming the host and the file", async () => {
    const port = await closedPort();
    const saved = {
      HF_ENDPOINT: process.env.HF_ENDPOINT,
      CUESMITH_HOME: process.env.CUESMITH_HOME,
      HF_HUB_CACHE: process.env.HF_HUB_CACHE,
    };
    fs.mkdirSync(path.join(tmp, "hf"), { recursive: true });
    Object.assign(process.env, {
      HF_ENDPOINT: `http://127.0.0.1:${port}`,
      CUESMITH_HOME: path.join(tmp, "home"),
      HF_HUB_CACHE: path.join(tmp, "hf"),
    });
    const out: string[] = [];
    const errs: string[] = [];
    const t0 = Date.now();
    try {
      expect(
        await runModelsCommand(["fetch", "whisper-base"], { out: (s) => out.push(s), err: (s) => errs.push(s) }),
      ).toBe(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(errs[errs.length - 1]).toMatch(/^cuesmith: cannot reach 127\.0\.0\.1 .*to fetch config\.json — no network/);
    expect(out).toEqual([]);
  });

  it("builds the tiny Whisper contract model from the command line", async () => {
    const dir = path.join(tmp, "wt");
    const out: string[] = [];
    expect(
      await runModelsCommand(["build-test", "--model", "whisper-tiny", "--out", dir], {
        out: (s) => out.push(s),
        err: () => {},
      }),
    ).toBe(0);
    expect(isWhisperFolder(dir)).toBe(true);
    expect(out[0]).toMatch(/tiny Whisper contract model/);
    expect(
      await runModelsCommand(["build-test", "--model", "whisper-large", "--out", dir], {
        out: () => {},
        err: () => {},
      }),
    ).toBe(2);
  });
});
