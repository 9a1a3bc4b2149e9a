// verifyModel / listInstalled on folders built by hand (no network): missing files, wrong sizes, wrong hashes,
// approximate sizes without a lock, and the fix message that names the file and the fetch command.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requiredFiles } from "../../models/layout";
import { loadManifest, parseManifest, Manifest } from "../../models/manifest";
import { listInstalled, ModelFileError, reportError, verifyModel } from "../../models/fetch";
import { LOCK_FILE, writeLock } from "../../models/fetch/lock";

const REV = "89abcdef0123456789abcdef0123456789abcdef";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const CONTENT: Record<string, Buffer> = {
  "config.json": Buffer.from('{"model_type":"musicgen"}\n'),
  "onnx/dec_q8.onnx": randomBytes(4000),
  "onnx/dec_fp32.onnx": randomBytes(9000),
  "onnx/encodec.onnx": randomBytes(3000),
};

function manifest(): Manifest {
  return parseManifest({
    schema: 1,
    models: {
      "tiny-musicgen": {
        repo: "Test/tiny-musicgen",
        revision: REV,
        url: "https://huggingface.co/{repo}/resolve/{revision}/{path}",
        license: "CC-BY-NC-4.0",
        defaultVariant: "q8",
        variants: {
          q8: ["config.json", "onnx/dec_q8.onnx", "onnx/encodec.onnx"],
          fp32: ["config.json", "onnx/dec_fp32.onnx", "onnx/encodec.onnx"],
        },
        files: {
          "config.json": { size: 30, sizeApprox: true, sha256: null, lfs: false },
          "onnx/dec_q8.onnx": { size: 4000, sizeApprox: false, sha256: sha256(CONTENT["onnx/dec_q8.onnx"]), lfs: true },
          "onnx/dec_fp32.onnx": { size: 9000, sizeApprox: true, sha256: null, lfs: true },
          "onnx/encodec.onnx": { size: 3000, sizeApprox: true, sha256: null, lfs: true },
        },
      },
    },
  });
}

const tmpDirs: string[] = [];
const tmp = (tag: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `cuesmith-verify-${tag}-`));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder as a fetch leaves it: the files of `files`, plus a lock with their exact values unless `lock` is false. */
async function makeFolder(dir: string, files: string[], lock = true): Promise<string> {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), CONTENT[f]);
  }
  if (lock) {
    await writeLock(dir, {
      schema: 1,
      model: "tiny-musicgen",
      repo: "Test/tiny-musicgen",
      revision: REV,
      updated: new Date().toISOString(),
      files: Object.fromEntries(
        files.map((f) => [
          f,
          {
            size: CONTENT[f].length,
            sha256: sha256(CONTENT[f]),
            verifiedBy: "hub-sha256" as const,
            via: "download" as const,
          },
        ]),
      ),
    });
  }
  return dir;
}

describe("models verify", () => {
  const q8 = ["config.json", "onnx/dec_q8.onnx", "onnx/encodec.onnx"];

  it("passes an intact folder, sizes always, hashes with deep", async () => {
    const dir = await makeFolder(tmp("ok"), q8);
    const quick = await verifyModel(dir, { manifest: manifest() });
    expect(quick).toMatchObject({
      ok: true,
      model: "tiny-musicgen",
      revision: REV,
      checked: ["q8"],
      complete: { q8: true, fp32: false },
      deep: false,
    });
    expect(quick.files.every((f) => f.status === "ok" && !f.hashChecked)).toBe(true);
    const deep = await verifyModel(dir, { manifest: manifest(), deep: true });
    expect(deep.ok).toBe(true);
    expect(deep.files.every((f) => f.hashChecked)).toBe(true);
    expect(deep.files.find((f) => f.file === "onnx/dec_q8.onnx")?.basis).toBe("manifest");
    expect(deep.files.find((f) => f.file === "onnx/encodec.onnx")?.basis).toBe("lock");
    expect(reportError(deep)).toBeUndefined();
  });

  it("reports a missing file with a fix naming it and the fetch command", async () => {
    const dir = await makeFolder(tmp("missing"), q8);
    fs.rmSync(path.join(dir, "onnx/encodec.onnx"));
    const r = await verifyModel(dir, { manifest: manifest() });
    expect(r.ok).toBe(false);
    expect(r.complete.q8).toBe(false);
    const bad = r.files.find((f) => f.file === "onnx/encodec.onnx")!;
    expect(bad.status).toBe("missing");
    expect(bad.message).toBe(`onnx/encodec.onnx is missing in ${dir}`);
    expect(bad.fix).toBe(
      `run \`npx cuesmith models fetch tiny-musicgen --dest ${dir}\` or pass --model-dir with a folder in the published layout`,
    );
    const err = reportError(r)!;
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err).toMatchObject({ code: "missing", file: "onnx/encodec.onnx" });
    expect(err.message).toBe(`onnx/encodec.onnx is missing in ${dir} — ${bad.fix}`);
  });

  it("omits --dest from the fix for the default model folder", async () => {
    const home = tmp("home");
    const dir = await makeFolder(path.join(home, "models", "tiny-musicgen"), q8);
    fs.rmSync(path.join(dir, "config.json"));
    const r = await verifyModel(dir, { manifest: manifest(), env: { CUESMITH_HOME: home } });
    expect(r.files[0].fix).toBe(
      "run `npx cuesmith models fetch tiny-musicgen` or pass --model-dir with a folder in the published layout",
    );
  });

  it("reports a wrong size (a truncated download) without hashing", async () => {
    const dir = await makeFolder(tmp("size"), q8);
    fs.truncateSync(path.join(dir, "onnx/dec_q8.onnx"), 1234);
    const r = await verifyModel(dir, { manifest: manifest() });
    const bad = r.files.find((f) => f.file === "onnx/dec_q8.onnx")!;
    expect(bad).toMatchObject({ status: "wrong_size", expectedSize: 4000, actualSize: 1234, hashChecked: false });
    expect(bad.message).toContain("onnx/dec_q8.onnx");
    expect(bad.message).toContain("1234 bytes, expected 4000");
  });

  it("finds a same-size corruption only with deep (against the manifest pin, or the lock)", async () => {
    for (const file of ["onnx/dec_q8.onnx", "onnx/encodec.onnx"]) {
      const dir = await makeFolder(tmp("hash"), q8);
      const buf = fs.readFileSync(path.join(dir, file));
      buf[100] ^= 0x55;
      fs.writeFileSync(path.join(dir, file), buf);
      expect((await verifyModel(dir, { manifest: manifest() })).ok).toBe(true);
      const deep = await verifyModel(dir, { manifest: manifest(), deep: true });
      const bad = deep.files.find((f) => f.file === file)!;
      expect(bad.status).toBe("wrong_hash");
      expect(bad.actualSha256).toBe(sha256(buf));
      expect(reportError(deep)).toMatchObject({ code: "wrong_hash", file });
    }
  });

  it("checks a hand-copied folder (no lock) against the manifest's approximate sizes", async () => {
    const dir = await makeFolder(tmp("nolock"), q8, false);
    const r = await verifyModel(dir, { manifest: manifest(), model: "tiny-musicgen", deep: true });
    expect(r.ok).toBe(true);
    expect(r.files.find((f) => f.file === "onnx/encodec.onnx")).toMatchObject({
      basis: "approximate",
      sizeApprox: true,
      hashChecked: false,
    });
    expect(r.notes.join(" ")).toContain(LOCK_FILE);
    fs.writeFileSync(path.join(dir, "onnx/encodec.onnx"), "oops");
    const bad = await verifyModel(dir, { manifest: manifest(), model: "tiny-musicgen" });
    expect(bad.files.find((f) => f.file === "onnx/encodec.onnx")).toMatchObject({
      status: "wrong_size",
      expectedSize: 3000,
    });
    expect(bad.files.find((f) => f.file === "onnx/encodec.onnx")!.message).toContain("expected about 3000");
  });

  it("checks every variant whose decoder is present, or the one asked for", async () => {
    const dir = await makeFolder(tmp("both"), [...q8, "onnx/dec_fp32.onnx"]);
    const both = await verifyModel(dir, { manifest: manifest() });
    expect(both.checked).toEqual(["q8", "fp32"]);
    expect(both.complete).toEqual({ q8: true, fp32: true });
    const empty = tmp("empty");
    const none = await verifyModel(empty, { manifest: manifest(), model: "tiny-musicgen" });
    expect(none.checked).toEqual(["q8"]);
    expect(none.files.map((f) => f.status)).toEqual(["missing", "missing", "missing"]);
    const fp32 = await verifyModel(empty, { manifest: manifest(), model: "tiny-musicgen", variant: "fp32" });
    expect(fp32.files.map((f) => f.file)).toEqual(["config.json", "onnx/dec_fp32.onnx", "onnx/encodec.onnx"]);
  });

  it("names an unknown model", async () => {
    await expect(verifyModel(tmp("x"), { manifest: manifest(), model: "nope" })).rejects.toThrow(
      /no model named "nope"/,
    );
  });
});

describe("models list", () => {
  it("lists the folders under the models root with their complete variants", async () => {
    const root = tmp("root");
    await makeFolder(path.join(root, "tiny-musicgen"), [
      "config.json",
      "onnx/dec_q8.onnx",
      "onnx/encodec.onnx",
      "onnx/dec_fp32.onnx",
    ]);
    const broken = await makeFolder(path.join(root, "copy"), ["config.json", "onnx/dec_q8.onnx", "onnx/encodec.onnx"]);
    fs.truncateSync(path.join(broken, "onnx/dec_q8.onnx"), 10);
    fs.writeFileSync(path.join(broken, "onnx/dec_fp32.onnx.part"), Buffer.alloc(500));
    fs.mkdirSync(path.join(root, "something-else"));
    fs.mkdirSync(path.join(root, ".hidden"));
    const list = await listInstalled(root, { manifest: manifest() });
    expect(list.map((m) => [m.name, m.model, m.variants])).toEqual([
      ["copy", "tiny-musicgen", []],
      ["something-else", undefined, []],
      ["tiny-musicgen", "tiny-musicgen", ["q8", "fp32"]],
    ]);
    const copy = list[0];
    expect(copy.partialDownloads).toEqual(["onnx/dec_fp32.onnx.part"]);
    expect(copy.problems.join("\n")).toContain("onnx/dec_q8.onnx");
    const full = list[2];
    expect(full.bytes).toBe(Object.values(CONTENT).reduce((n, b) => n + b.length, 0));
    expect(full.revision).toBe(REV);
  });

  it("is empty for a root that does not exist", async () => {
    expect(await listInstalled(path.join(tmp("none"), "missing"), { manifest: manifest() })).toEqual([]);
  });
});

describe("the shipped manifest", () => {
  it("pins musicgen-small to a commit and lists exactly the layout's files per variant", () => {
    const m = loadManifest().models["musicgen-small"];
    expect(m.repo).toBe("Xenova/musicgen-small");
    expect(m.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(m.license).toBe("CC-BY-NC-4.0");
    expect(m.url).toBe("https://huggingface.co/{repo}/resolve/{revision}/{path}");
    expect(m.variants.q8).toEqual(requiredFiles("q8"));
    expect(m.variants.fp32).toEqual(requiredFiles("fp32"));
    // Unverified values are never dressed up as verified: a null sha256 comes with a source note.
    for (const [file, f] of Object.entries(m.files)) {
      if (f.sha256 === null) expect(f.source).toBeTruthy();
      if (f.sizeApprox) expect(f.sha256).toBeNull();
      expect(file in m.files).toBe(true);
    }
    expect(m.files["onnx/decoder_model_merged_quantized.onnx"]).toMatchObject({ size: 428422300, sizeApprox: false });
  });

  it("rejects malformed manifests naming the field", () => {
    const base = JSON.parse(JSON.stringify(loadManifest()));
    const broken = (mut: (m: Record<string, any>) => void) => {
      const c = JSON.parse(JSON.stringify(base));
      mut(c.models["musicgen-small"]);
      return () => parseManifest(c);
    };
    expect(broken((m) => (m.revision = "main"))).toThrow(/revision must be a 40-hex commit sha/);
    expect(broken((m) => (m.files["config.json"].sha256 = "abc"))).toThrow(/sha256 must be 64/);
    expect(broken((m) => m.variants.q8.push("nope.onnx"))).toThrow(/"nope.onnx", which is not in files/);
    expect(broken((m) => (m.files["../x"] = { size: 1, sha256: null }))).toThrow(/not a safe relative path/);
  });
});
