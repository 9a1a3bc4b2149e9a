// The flat decoder's self-check on the user's weights (models/transform/self-check.ts): a flat file that loads but
// computes wrong is caught at load, deleted, replaced by the next layout (then by the published graph), with one
// plain log line, and the engine's output is the published graph's. The result is recorded beside the file and
// reused until the file changes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { onnx } from "onnx-proto";
import { MusicGenEngine } from "../../helper/engine/musicgen";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { prepareDecoders, readCheckRecord, writeFlatDecoder } from "../../models/transform";
import { allGraphs, writeModel } from "../../models/transform/onnx-file";
import { ensureVerifiedFlat } from "../../models/transform/self-check";
import { exportedModelDir } from "../helpers/exported-model";

const codesOf = (r: { codes: Int32Array[][] }) => r.codes.map((c) => c.map((row) => Array.from(row)));
const request = { prompts: ["a", "cinematic strings"], durationSec: [1.4, 0.7], seed: 3, topK: 1 };

/** Changes one weight (a layer-norm gain, stored inline in the flat file) by +3. */
function corruptOneWeight(file: string): string {
  const model = onnx.ModelProto.decode(fs.readFileSync(file));
  const tensor = allGraphs(model.graph!)
    .flatMap((g) => g.initializer ?? [])
    .find((t) => /layer_norm\.weight$/.test(t.name ?? "") && (t.rawData?.length ?? 0) > 0);
  if (!tensor) throw new Error("no inline layer-norm weight in the flat file");
  const raw = Uint8Array.from(tensor.rawData!);
  const view = new DataView(raw.buffer);
  view.setFloat32(0, view.getFloat32(0, true) + 3, true);
  tensor.rawData = raw;
  writeModel(file, model);
  return tensor.name!;
}

describe("the flat decoder's self-check", () => {
  let dir: string;
  let flatFile: string;
  let published: number[][][];

  beforeAll(async () => {
    dir = await exportedModelDir("bart", path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-selfcheck-")), "m"));
    flatFile = path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat.fp32);
    const plain = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false, decoderGraph: "plain" });
    published = codesOf(await plain.generate(request));
    expect(plain.info.selfCheck.status).toBe("not-run");
  });
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it("passes on a sound rewrite, records the result beside the file and reuses it until the file changes", async () => {
    writeFlatDecoder(dir, "fp32");
    const engine = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false });
    expect(engine.info).toMatchObject({ decoderLayout: "in-place", selfCheck: { status: "passed" } });
    const record = readCheckRecord(flatFile)!;
    expect(record).toMatchObject({ status: "passed", layout: "in-place", variant: "fp32", calls: 12 });
    expect(record.maxRelDiff).toBeLessThan(1e-4);
    // a recorded result for the file as it is is not re-measured …
    fs.writeFileSync(`${flatFile}.check.json`, JSON.stringify({ ...record, reason: "as recorded" }));
    expect((await MusicGenEngine.load(dir, { provider: "cpu", warmup: false })).info.selfCheck.reason).toBe(
      "as recorded",
    );
    // … a changed file is
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(flatFile, later, later);
    expect((await MusicGenEngine.load(dir, { provider: "cpu", warmup: false })).info.selfCheck.reason).not.toBe(
      "as recorded",
    );
  });

  it("catches one corrupted weight: deletes the file, falls back to the next layout, says so in one line, and the output is the published graph's", async () => {
    writeFlatDecoder(dir, "fp32");
    corruptOneWeight(flatFile);
    const lines: string[] = [];
    const engine = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/in-place decoder rewrite \(fp32\) failed its self-check .*trying the capacity layout/);
    expect(engine.info).toMatchObject({
      decoderGraph: "flat",
      decoderLayout: "capacity",
      selfCheck: { status: "passed" },
    });
    expect(codesOf(await engine.generate(request))).toEqual(published);
  });

  it("when every layout fails, leaves no flat file and the engine runs the published graph", async () => {
    writeFlatDecoder(dir, "fp32");
    corruptOneWeight(flatFile);
    const lines: string[] = [];
    // every rewrite comes out wrong (as a rewrite that misreads the graph would)
    const verified = await ensureVerifiedFlat(dir, "fp32", {
      log: (l) => lines.push(l),
      rewrite: (d, v, layout) => corruptOneWeight(writeFlatDecoder(d, v, layout)),
    });
    expect(verified).toMatchObject({ layout: "published", check: { status: "failed", layout: "capacity" } });
    expect(verified.check!.maxRelDiff).toBeGreaterThan(1e-2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /capacity decoder rewrite \(fp32\) failed its self-check .*using the published decoder graph/,
    );
    expect(fs.existsSync(flatFile)).toBe(false);
    const engine = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false });
    expect(engine.info).toMatchObject({ decoderGraph: "plain", decoderLayout: "published" });
    expect(codesOf(await engine.generate(request))).toEqual(published);
  });

  it("runs at install time: prepareDecoders keeps only a flat file that passed", async () => {
    const progress: string[] = [];
    const result = await prepareDecoders(dir, { quantizeFromFp32: false, onProgress: (m) => progress.push(m) });
    expect(result.errors).toEqual([]);
    expect(progress.some((m) => m.startsWith("checking onnx/decoder_model_merged_flat.onnx"))).toBe(true);
    expect(readCheckRecord(flatFile)).toMatchObject({ status: "passed", layout: "in-place" });
  });
});
