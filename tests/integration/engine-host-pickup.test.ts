// A model installed while the helper runs is picked up without a restart: /health goes model_missing ->
// loading -> ok, by the folder watch alone or at once when a job arrives.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultSettings, HelperSettings } from "../../helper/config/settings";
import { RunningHelper, startHelper } from "../../helper/server/app";
import { EngineHost, folderSignature } from "../../helper/service/engine-host";
import { tinyModelDir } from "../helpers/contract-model";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-pickup-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function startMissing(
  name: string,
  watchIntervalMs: number,
): Promise<{ helper: RunningHelper; host: EngineHost; modelDir: string }> {
  const home = path.join(tmp, `${name}-home`);
  const modelDir = path.join(tmp, `${name}-model`);
  const settings: HelperSettings = {
    ...defaultSettings({ CUESMITH_HOME: home }),
    port: 0,
    autoFetch: false,
    modelDir,
    outputRoots: [home, os.tmpdir()],
  };
  const host = new EngineHost({
    modelDir,
    modelName: settings.modelName,
    variant: "auto",
    provider: "cpu",
    watchIntervalMs,
  });
  await host.ready;
  return { helper: await startHelper(settings, host), host, modelDir };
}

async function health(helper: RunningHelper): Promise<Record<string, unknown>> {
  return (await fetch(`${helper.url}/health`)).json() as Promise<Record<string, unknown>>;
}

/** Installs the model the way a fetch does: complete files appear in the folder. */
async function installModel(dest: string): Promise<void> {
  fs.cpSync(await tinyModelDir(), dest, { recursive: true });
}

describe("a model fetched while the helper runs", () => {
  beforeAll(async () => {
    await tinyModelDir();
  }, 120_000);

  it("is found by the folder watch: model_missing, then loading, then ok, with no restart", async () => {
    const { helper, host, modelDir } = await startMissing("watch", 50);
    try {
      const before = await health(helper);
      expect(before).toMatchObject({
        status: "model_missing",
        model_loaded: false,
        fetch_command: "npx cuesmith models fetch musicgen-small",
      });
      expect(String(before.reason)).toMatch(/does not exist/);
      // the fix is said once, and no restart is asked for
      expect(String(before.reason).match(/models fetch/g)).toHaveLength(1);
      expect(String(before.reason)).not.toMatch(/restart/);

      const seen: string[] = [];
      const record = () => {
        const s = helper.ctx.health().status;
        if (seen[seen.length - 1] !== s) seen.push(s);
      };
      const timer = setInterval(record, 5);
      await installModel(modelDir);
      const deadline = Date.now() + 60_000;
      while (helper.ctx.health().status !== "ok" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      clearInterval(timer);
      record();
      expect(seen[0]).toBe("model_missing");
      expect(seen[seen.length - 1]).toBe("ok");
      expect(seen.every((s) => ["model_missing", "loading", "ok"].includes(s))).toBe(true);
      expect(await health(helper)).toMatchObject({ status: "ok", model_loaded: true, contract_model: true });
    } finally {
      host.close();
      await helper.close();
    }
  }, 90_000);

  it("a job after the install starts the load at once: busy while loading, then the job runs", async () => {
    const { helper, host, modelDir } = await startMissing("job", 60_000); // the poll would not come in time
    try {
      const missing = await fetch(`${helper.url}/generate`, {
        method: "POST",
        body: JSON.stringify({ prompt: "x", duration_sec: 1 }),
      });
      expect(missing.status).toBe(503);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("model_missing");
      expect(host.status).toBe("model_missing");

      await installModel(modelDir);
      expect(() => host.require()).toThrow(/still loading/);
      expect(host.status).toBe("loading");
      expect(helper.ctx.health().status).toBe("loading");
      await host.settled();
      expect(host.status).toBe("ready");
      const ok = await fetch(`${helper.url}/generate`, {
        method: "POST",
        body: JSON.stringify({ prompt: "x", duration_sec: 1, seed: 1 }),
      });
      expect(ok.status).toBe(200);
    } finally {
      host.close();
      await helper.close();
    }
  }, 90_000);

  it("an unchanged folder is not loaded again on every job", async () => {
    const { helper, host } = await startMissing("same", 60_000);
    try {
      expect(() => host.require()).toThrow(/does not exist/);
      expect(host.status).toBe("model_missing");
    } finally {
      host.close();
      await helper.close();
    }
  });
});

describe("folderSignature", () => {
  it("is empty for a missing folder, null while a download is in progress, and changes when a file lands", () => {
    const dir = path.join(tmp, "sig");
    expect(folderSignature(dir)).toBe("");
    fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), "{}");
    const a = folderSignature(dir);
    fs.writeFileSync(path.join(dir, "onnx", "decoder.onnx.part"), "xx");
    expect(folderSignature(dir)).toBeNull();
    fs.renameSync(path.join(dir, "onnx", "decoder.onnx.part"), path.join(dir, "onnx", "decoder.onnx"));
    const b = folderSignature(dir);
    expect(b).not.toBe(a);
    expect(b).toContain(path.join("onnx", "decoder.onnx"));
  });
});
