// `cuesmith doctor`'s verdicts, each from injected probes: what a user on a given machine would read.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Check, DoctorProbes, formatChecks, runDoctor } from "../../helper/install/doctor";
import { probePort } from "../../helper/install/probes";
import type { VerifyReport } from "../../models/fetch";

const target = {
  modelName: "musicgen-small",
  modelDir: "/home/ed/.cuesmith/models/musicgen-small",
  host: "127.0.0.1",
  port: 8001,
};

function report(ok: boolean): VerifyReport {
  return {
    dir: target.modelDir,
    model: "musicgen-small",
    deep: false,
    checked: ["q8"],
    complete: { q8: ok, fp32: false },
    ok,
    notes: [],
    files: ok
      ? []
      : [
          {
            file: "onnx/decoder_model_merged_quantized.onnx",
            status: "missing",
            fix: "run `npx cuesmith models fetch musicgen-small`",
          },
        ],
  } as unknown as VerifyReport;
}

function probes(over: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    nodeVersion: "v20.11.1",
    ffmpeg: () => ({ path: "/opt/homebrew/bin/ffmpeg", source: "system" }),
    isContractModel: () => false,
    modelDirExists: () => true,
    verifyModel: async () => report(true),
    providers: () => ["coreml", "cpu"],
    probePort: async () => ({ state: "ours", health: { status: "ok", version: "0.1.0", provider: "coreml" } }),
    panelInstalled: () => true,
    premiereVersions: () => ["Adobe Premiere Pro 2025 (25.6.1)"],
    ...over,
  };
}

const byLabel = (checks: Check[], label: string) => checks.find((c) => c.label === label);

describe("cuesmith doctor", () => {
  it("a ready Mac: every line ok, in a fixed order", async () => {
    const checks = await runDoctor(target, probes());
    expect(checks.map((c) => c.label)).toEqual(["node", "ffmpeg", "model", "providers", "helper", "panel", "premiere"]);
    expect(checks.every((c) => c.level === "ok")).toBe(true);
    expect(byLabel(checks, "ffmpeg")!.detail).toBe("system: /opt/homebrew/bin/ffmpeg");
    expect(byLabel(checks, "helper")!.detail).toMatch(
      /cuesmith 0\.1\.0 answering on 127\.0\.0\.1:8001, model ready \(coreml\)/,
    );
    expect(byLabel(checks, "premiere")!.detail).toBe("Adobe Premiere Pro 2025 (25.6.1)");
  });

  it("says which ffmpeg: the bundled build, or none with the install hint", async () => {
    let checks = await runDoctor(
      target,
      probes({ ffmpeg: () => ({ path: "C:\\cuesmith\\ffmpeg.exe", source: "bundled" }) }),
    );
    expect(byLabel(checks, "ffmpeg")).toMatchObject({ level: "ok", detail: "bundled build: C:\\cuesmith\\ffmpeg.exe" });
    checks = await runDoctor(target, probes({ ffmpeg: () => null }));
    expect(byLabel(checks, "ffmpeg")).toMatchObject({
      level: "warning",
      fix: expect.stringMatching(/winget install Gyan\.FFmpeg/),
    });
  });

  it("old Node, missing model, damaged model, contract model", async () => {
    expect(byLabel(await runDoctor(target, probes({ nodeVersion: "v18.19.0" })), "node")).toMatchObject({
      level: "fix",
      fix: expect.stringMatching(/Node\.js 20/),
    });
    expect(byLabel(await runDoctor(target, probes({ modelDirExists: () => false })), "model")).toMatchObject({
      level: "fix",
      fix: expect.stringMatching(/cuesmith install/),
    });
    const damaged = byLabel(await runDoctor(target, probes({ verifyModel: async () => report(false) })), "model")!;
    expect(damaged).toMatchObject({ level: "fix", fix: "run `npx cuesmith models fetch musicgen-small`" });
    expect(damaged.detail).toMatch(/1 file missing or damaged .*decoder_model_merged_quantized/);
    expect(byLabel(await runDoctor(target, probes({ isContractModel: () => true })), "model")).toMatchObject({
      level: "warning",
      detail: expect.stringMatching(/random-weight contract model/),
    });
  });

  it("port: free (helper not running), taken by someone else, or our helper without a model", async () => {
    expect(
      byLabel(await runDoctor(target, probes({ probePort: async () => ({ state: "free" }) })), "helper"),
    ).toMatchObject({ level: "warning", detail: "not running (127.0.0.1:8001 is free)" });
    expect(
      byLabel(
        await runDoctor(target, probes({ probePort: async () => ({ state: "other", detail: "HTTP 404" }) })),
        "helper",
      ),
    ).toMatchObject({ level: "fix", fix: expect.stringMatching(/--port/) });
    const missing = await runDoctor(
      target,
      probes({
        probePort: async () => ({
          state: "ours",
          health: {
            status: "model_missing",
            version: "0.1.0",
            reason: "model folder does not exist",
            fetch_command: "npx cuesmith models fetch musicgen-small",
          },
        }),
      }),
    );
    expect(byLabel(missing, "helper")).toMatchObject({
      level: "warning",
      fix: "npx cuesmith models fetch musicgen-small",
    });
  });

  it("reads the decoder layout and self-check when the helper reports them, and skips them otherwise", async () => {
    const health = {
      status: "ok",
      version: "0.1.0",
      provider: "cpu",
      decoder_layout: "flat",
      self_check: { ok: false, detail: "step 0 logits differ" },
    };
    const checks = await runDoctor(target, probes({ probePort: async () => ({ state: "ours", health }) }));
    expect(byLabel(checks, "decoder")).toMatchObject({ level: "ok", detail: "layout flat" });
    expect(byLabel(checks, "self-check")).toMatchObject({ level: "fix", detail: "failed: step 0 logits differ" });
    const plain = await runDoctor(target, probes());
    expect(byLabel(plain, "decoder")).toBeUndefined();
    expect(byLabel(plain, "self-check")).toBeUndefined();
  });

  it("panel and Premiere: a warning when absent, no line where the platform cannot tell (Linux)", async () => {
    const absent = await runDoctor(target, probes({ panelInstalled: () => false, premiereVersions: () => [] }));
    expect(byLabel(absent, "panel")).toMatchObject({
      level: "warning",
      fix: expect.stringMatching(/cuesmith install.*cuesmith\.ccx/),
    });
    expect(byLabel(absent, "premiere")!.level).toBe("warning");
    const linux = await runDoctor(target, probes({ panelInstalled: () => null, premiereVersions: () => null }));
    expect(byLabel(linux, "panel")).toBeUndefined();
    expect(byLabel(linux, "premiere")).toBeUndefined();
  });

  it("an onnxruntime that cannot load is a fix line, not a crash", async () => {
    const checks = await runDoctor(
      target,
      probes({
        providers: () => {
          throw new Error("libonnxruntime.so.1: cannot open shared object file");
        },
      }),
    );
    expect(byLabel(checks, "providers")).toMatchObject({
      level: "fix",
      detail: expect.stringMatching(/cannot open shared object/),
    });
  });

  it("formats one aligned line per check, the fix after warnings and fixes only", () => {
    const lines = formatChecks([
      { label: "node", level: "ok", detail: "v20.11.1" },
      { label: "ffmpeg", level: "warning", detail: "not found", fix: "install ffmpeg" },
    ]);
    expect(lines).toEqual(["ok      node    v20.11.1", "warning ffmpeg  not found — install ffmpeg"]);
  });
});

describe("probePort", () => {
  async function serve(handler: http.RequestListener): Promise<[http.Server, number]> {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return [server, (server.address() as AddressInfo).port];
  }

  it("tells our helper, another server and a free port apart", async () => {
    const [ours, p1] = await serve((_q, res) => res.end(JSON.stringify({ status: "loading", version: "0.1.0" })));
    const [other, p2] = await serve((_q, res) => res.writeHead(404).end("nope"));
    try {
      expect(await probePort("127.0.0.1", p1)).toEqual({
        state: "ours",
        health: { status: "loading", version: "0.1.0" },
      });
      expect(await probePort("127.0.0.1", p2)).toMatchObject({ state: "other", detail: expect.stringMatching(/404/) });
    } finally {
      await new Promise((r) => ours.close(r));
      await new Promise((r) => other.close(r));
    }
    expect(await probePort("127.0.0.1", p1)).toEqual({ state: "free" });
  });
});
