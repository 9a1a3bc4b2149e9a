// The flat decoder (models/transform/flat-decoder.ts) must be a pure speed change: on the tiny contract model and on
// decoders made by torch.onnx.export (BART's eager attention, SDPA's decompositions) the engine produces exactly the
// codes of the published graph, greedy and sampled, for one prompt, a batch of different lengths and a multi-window
// piece, in both cache layouts and for fp32 and q8; the exported decoders get the in-place layout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { buildTestModel } from "../../models/build";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { FLAT_LAYOUT_KEY, FLAT_REASON_KEY, writeFlatDecoder } from "../../models/transform";
import { readMetadata } from "../../models/transform/onnx-file";
import { quantizeDecoderFile } from "../../models/transform/quantize";
import { GenerateRequest, MusicGenEngine } from "../../helper/engine/musicgen";
import { tinyModelDir } from "../helpers/contract-model";
import { ExportedAttention, exportedModelDir } from "../helpers/exported-model";

const codesOf = (r: { codes: Int32Array[][] }) => r.codes.map((c) => c.map((row) => Array.from(row)));
const load = (dir: string, decoderGraph: "flat" | "plain", variant: "fp32" | "q8" = "fp32") =>
  MusicGenEngine.load(dir, { provider: "cpu", warmup: false, decoderGraph, variant });

let dir: string;
let plain: MusicGenEngine;
let flat: MusicGenEngine;

beforeAll(async () => {
  dir = await tinyModelDir();
  plain = await load(dir, "plain");
  flat = await load(dir, "flat");
});

async function expectSameCodes(a: MusicGenEngine, b: MusicGenEngine, req: GenerateRequest): Promise<void> {
  const [x, y] = [await a.generate(req), await b.generate(req)];
  expect(codesOf(y)).toEqual(codesOf(x));
}

describe("flat decoder graph", () => {
  it("is written by the contract-model builder and preferred by the engine", async () => {
    expect(fs.existsSync(path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat.fp32))).toBe(true);
    expect((await MusicGenEngine.load(dir, { provider: "cpu", warmup: false })).info.decoderGraph).toBe("flat");
    expect(plain.info.decoderGraph).toBe("plain");
  });

  it("returns logits, the new K/V slice per layer and the encoder presents — no whole decoder cache", async () => {
    const s = await ort.InferenceSession.create(path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat.fp32));
    expect(s.outputNames.filter((n) => n.startsWith("present.") && n.includes(".decoder."))).toEqual([]);
    expect(s.outputNames).toEqual(
      expect.arrayContaining(["logits", "new.0.decoder.key", "new.1.decoder.value", "present.0.encoder.key"]),
    );
    expect(s.inputNames).toContain("past_length");
    await s.release();
  });

  it("gives the published graph's greedy codes for one prompt", async () => {
    await expectSameCodes(plain, flat, { prompts: ["upbeat synth"], durationSec: 2.3, seed: 1, topK: 1 });
  });

  it("gives the published graph's greedy codes for a batch of prompts with different durations", async () => {
    await expectSameCodes(plain, flat, {
      prompts: ["a", "cinematic strings", "lo-fi beat"],
      durationSec: [1, 3.1, 0.5],
      seed: 4,
      topK: 1,
    });
  });

  it("gives the published graph's greedy codes across windows (> 30 s, re-fed prompts)", async () => {
    await expectSameCodes(plain, flat, {
      prompts: ["long ambient bed", "drums"],
      durationSec: [31, 30.5],
      seed: 2,
      topK: 1,
    });
  });

  it("gives the published graph's sampled codes for the same seeds", async () => {
    await expectSameCodes(plain, flat, {
      prompts: ["warm piano", "synthwave"],
      durationSec: [2, 1.2],
      seed: [11, 12],
      topK: 250,
    });
  });

  it("works without guidance (decoder batch = prompts)", async () => {
    await expectSameCodes(plain, flat, {
      prompts: ["x", "y"],
      durationSec: [1, 0.7],
      seed: 3,
      topK: 50,
      guidanceScale: 1,
    });
  });

  describe("other layouts and the q8 decoder", () => {
    let other: string;
    beforeAll(async () => {
      other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-flat-")), "m");
      await buildTestModel({ size: "tiny", outDir: other, variants: ["fp32", "q8"], flat: false });
    });
    afterAll(() => fs.rmSync(path.dirname(other), { recursive: true, force: true }));

    it("the in-place attention (no copy of the past) gives the same codes, greedy and sampled", async () => {
      writeFlatDecoder(other, "fp32", "in-place");
      const file = path.join(other, ONNX_DIR, ONNX_FILES.decoderFlat.fp32);
      const s = await ort.InferenceSession.create(file);
      expect(s.inputNames).toContain("past_length");
      await s.release();
      const ip = await load(other, "flat");
      await expectSameCodes(plain, ip, { prompts: ["a", "b", "c"], durationSec: [2, 1.1, 0.5], seed: 5, topK: 1 });
      await expectSameCodes(plain, ip, { prompts: ["a"], durationSec: 1.5, seed: 6, topK: 250 });
      // across windows: the default flat file is this same in-place layout, checked past 30 s above
    });

    it("the q8 flat decoder gives the published q8 graph's codes", async () => {
      writeFlatDecoder(other, "q8", "in-place");
      const [p8, f8] = [await load(other, "plain", "q8"), await load(other, "flat", "q8")];
      expect(f8.info.variant).toBe("q8");
      await expectSameCodes(p8, f8, { prompts: ["a", "b"], durationSec: [1.6, 0.9], seed: 7, topK: 1 });
    });

    it("the capacity layout (Slice before the Concat) gives the same codes; a flat file whose source changed is not used", async () => {
      writeFlatDecoder(other, "fp32", "capacity");
      const cap = await MusicGenEngine.load(other, { provider: "cpu", warmup: false, variant: "fp32" });
      expect(cap.info.decoderGraph).toBe("flat");
      await expectSameCodes(plain, cap, { prompts: ["a", "b"], durationSec: [1.2, 0.6], seed: 9, topK: 250 });
      // a re-fetch of another revision: the flat file's byte offsets would point into a different file
      const src = path.join(other, ONNX_DIR, ONNX_FILES.decoder.fp32);
      fs.copyFileSync(path.join(other, ONNX_DIR, ONNX_FILES.decoder.q8), src);
      expect(
        (await MusicGenEngine.load(other, { provider: "cpu", warmup: false, variant: "fp32" })).info.decoderGraph,
      ).toBe("plain");
    });
  });

  describe.each<[ExportedAttention, string]>([
    ["bart", "3-D reshape + bmm"],
    ["sdpa-after", "4-D MatMul with a scale Mul on K"],
    ["sdpa-before", "4-D MatMul with a scale Mul on K"],
  ])("a decoder exported by torch.onnx.export (%s attention)", (attention, form) => {
    let exported: string;
    let published: MusicGenEngine;
    let rewritten: MusicGenEngine;
    beforeAll(async () => {
      exported = await exportedModelDir(
        attention,
        path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-exported-")), "m"),
      );
      const file = writeFlatDecoder(exported, "fp32");
      expect(readMetadata(file)[FLAT_LAYOUT_KEY]).toBe("in-place");
      expect(readMetadata(file)[FLAT_REASON_KEY]).toContain(form);
      published = await load(exported, "plain");
      rewritten = await MusicGenEngine.load(exported, { provider: "cpu", warmup: false });
    });
    afterAll(() => fs.rmSync(path.dirname(exported), { recursive: true, force: true }));

    it("gets the in-place layout, and its self-check passes", () => {
      expect(rewritten.info).toMatchObject({
        decoderGraph: "flat",
        decoderLayout: "in-place",
        selfCheck: { status: "passed" },
      });
      expect(rewritten.info.decoderLayoutReason).toContain(form);
    });

    it("gives the published graph's codes, greedy and sampled, across windows", async () => {
      await expectSameCodes(published, rewritten, {
        prompts: ["a", "cinematic strings", "lo-fi"],
        durationSec: [1.5, 2.2, 0.5],
        seed: 4,
        topK: 1,
      });
      await expectSameCodes(published, rewritten, {
        prompts: ["warm piano", "synthwave"],
        durationSec: [1.2, 0.8],
        seed: [11, 12],
        topK: 250,
      });
      if (attention === "bart")
        await expectSameCodes(published, rewritten, {
          prompts: ["long ambient bed"],
          durationSec: 31,
          seed: 2,
          topK: 1,
        });
    });

    it("q8 (quantized from the export) gets the in-place layout and the published q8 graph's codes", async () => {
      quantizeDecoderFile(
        path.join(exported, ONNX_DIR, ONNX_FILES.decoder.fp32),
        path.join(exported, ONNX_DIR, ONNX_FILES.decoder.q8),
      );
      expect(readMetadata(writeFlatDecoder(exported, "q8"))[FLAT_LAYOUT_KEY]).toBe("in-place");
      const [p8, f8] = [
        await load(exported, "plain", "q8"),
        await MusicGenEngine.load(exported, { provider: "cpu", warmup: false, variant: "q8" }),
      ];
      expect(f8.info).toMatchObject({ decoderLayout: "in-place", selfCheck: { status: "passed" } });
      await expectSameCodes(p8, f8, { prompts: ["a", "b"], durationSec: [1.6, 0.9], seed: 7, topK: 1 });
    });
  });
});
