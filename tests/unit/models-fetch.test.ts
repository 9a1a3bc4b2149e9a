// fetchModel against a local fake Hugging Face hub (node:http on 127.0.0.1): published headers
// (X-Linked-Etag / X-Linked-Size on a redirect for LFS files, a git-blob ETag for plain files), Range requests,
// resume, integrity failures, HF cache reuse without any request, and the offline path.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parseManifest, Manifest } from "../../models/manifest";
import { fetchModel, FetchProgress, ModelFileError, readLock, verifyModel } from "../../models/fetch";
import { runModelsCommand } from "../../helper/cli/models-command";

const REPO = "Test/tiny-musicgen";
const REV = "0123456789abcdef0123456789abcdef01234567";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const gitId = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");

interface FakeFile {
  content: Buffer;
  lfs: boolean;
}

const FILES: Record<string, FakeFile> = {
  "config.json": {
    content: Buffer.from(JSON.stringify({ model_type: "musicgen", note: "x".repeat(700) }, null, 2)),
    lfs: false,
  },
  "onnx/text_encoder.onnx": { content: randomBytes(150_000), lfs: true },
  "onnx/decoder_model_merged_quantized.onnx": { content: randomBytes(300_000), lfs: true },
  "onnx/decoder_model_merged.onnx": { content: randomBytes(200_000), lfs: true },
  "onnx/encodec_decode.onnx": { content: randomBytes(80_000), lfs: true },
};

/** A manifest in the real shape: some files pinned exactly, some (like the real one) with sha256 null and a rounded size. */
function testManifest(
  overrides: Record<
    string,
    Partial<{ size: number; sizeApprox: boolean; sizeEstimated: boolean; sha256: string | null }>
  > = {},
): Manifest {
  const round = (n: number) => Math.round(n / 1000) * 1000;
  const files: Record<string, unknown> = {
    "config.json": { size: round(FILES["config.json"].content.length), sizeApprox: true, sha256: null, lfs: false },
    "onnx/text_encoder.onnx": { size: round(150_000), sizeApprox: true, sha256: null, lfs: true },
    "onnx/decoder_model_merged_quantized.onnx": {
      size: 300_000,
      sizeApprox: false,
      sha256: sha256(FILES["onnx/decoder_model_merged_quantized.onnx"].content),
      lfs: true,
    },
    "onnx/decoder_model_merged.onnx": { size: round(200_000), sizeApprox: true, sha256: null, lfs: true },
    "onnx/encodec_decode.onnx": {
      size: 80_000,
      sizeApprox: false,
      sha256: sha256(FILES["onnx/encodec_decode.onnx"].content),
      lfs: true,
    },
  };
  for (const [f, o] of Object.entries(overrides)) files[f] = { ...(files[f] as object), ...o };
  return parseManifest({
    schema: 1,
    models: {
      "tiny-musicgen": {
        repo: REPO,
        revision: REV,
        url: "https://huggingface.co/{repo}/resolve/{revision}/{path}",
        license: "CC-BY-NC-4.0",
        defaultVariant: "q8",
        variants: {
          q8: [
            "config.json",
            "onnx/text_encoder.onnx",
            "onnx/decoder_model_merged_quantized.onnx",
            "onnx/encodec_decode.onnx",
          ],
          fp32: ["config.json", "onnx/text_encoder.onnx", "onnx/decoder_model_merged.onnx", "onnx/encodec_decode.onnx"],
        },
        files,
      },
    },
  });
}

interface LoggedRequest {
  method: string;
  url: string;
  range?: string;
}

interface HubBehaviour {
  /** Serve these files with a flipped byte (headers still advertise the true hash). */
  corrupt?: Set<string>;
  /** For these files, the first GET sends this many bytes and then drops the connection. */
  dropAfter?: Map<string, number>;
  /** For these files, every GET sends this many bytes and then stalls (connection kept open). */
  stallAfter?: Map<string, number>;
  /** Advertise this sha256 instead of the true one. */
  advertise?: Map<string, string>;
}

class FakeHub {
  readonly log: LoggedRequest[] = [];
  private server!: http.Server;
  private readonly dropped = new Set<string>();
  private readonly sockets = new Set<import("node:net").Socket>();
  url = "";

  constructor(readonly behaviour: HubBehaviour = {}) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  requestsFor(file: string): LoggedRequest[] {
    return this.log.filter((l) => decodeURIComponent(l.url).endsWith(`/${file}`) || l.url.startsWith(`/cdn/${file}`));
  }

  private body(file: string): Buffer {
    const f = FILES[file];
    if (!this.behaviour.corrupt?.has(file)) return f.content;
    const copy = Buffer.from(f.content);
    copy[copy.length >> 1] ^= 0xff;
    return copy;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    this.log.push({ method: req.method ?? "", url, range: req.headers.range });
    const prefix = `/${REPO}/resolve/${REV}/`;
    if (url.startsWith("/cdn/")) {
      this.serve(decodeURIComponent(url.slice(5)), req, res);
      return;
    }
    if (!url.startsWith(prefix)) {
      res.writeHead(404).end("not found");
      return;
    }
    const file = decodeURIComponent(url.slice(prefix.length));
    const f = FILES[file];
    if (!f) {
      res.writeHead(404).end("Entry not found");
      return;
    }
    if (f.lfs) {
      res.writeHead(302, {
        location: `/cdn/${encodeURIComponent(file)}`,
        "x-linked-etag": `"${this.behaviour.advertise?.get(file) ?? sha256(f.content)}"`,
        "x-linked-size": String(f.content.length),
        "x-repo-commit": REV,
        etag: `"${gitId(Buffer.from("pointer"))}"`,
      });
      res.end();
      return;
    }
    this.serve(file, req, res);
  }

  private serve(file: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const f = FILES[file];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    const body = this.body(file);
    const headers: http.OutgoingHttpHeaders = { "accept-ranges": "bytes", "x-repo-commit": REV };
    if (!f.lfs) headers.etag = `"${gitId(f.content)}"`;
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        "content-length": body.length - start,
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      res.writeHead(200, { ...headers, "content-length": body.length });
    }
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const slice = body.subarray(start);
    const drop = this.behaviour.dropAfter?.get(file);
    if (drop !== undefined && !this.dropped.has(file)) {
      this.dropped.add(file);
      res.write(slice.subarray(0, drop), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const stall = this.behaviour.stallAfter?.get(file);
    if (stall !== undefined) {
      res.write(slice.subarray(0, stall)); // and never finish
      return;
    }
    res.end(slice);
  }
}

const tmpDirs: string[] = [];
const tmp = (tag: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `cuesmith-models-${tag}-`));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
const emptyCache = () => tmp("hfcache");

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

describe("models fetch (fake hub)", () => {
  let hub: FakeHub;
  afterEach(async () => {
    await hub?.stop();
  });

  it("downloads a variant into the published layout, verified, with a lock of sizes and hashes", async () => {
    hub = await new FakeHub().start();
    const dest = path.join(tmp("dl"), "tiny-musicgen");
    const events: FetchProgress[] = [];
    const result = await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: emptyCache(),
      onProgress: (p) => events.push(p),
    });
    expect(result.variant).toBe("q8");
    expect(result.files.map((f) => [f.file, f.action, f.verifiedBy])).toEqual([
      ["config.json", "downloaded", "hub-git-id"],
      ["onnx/text_encoder.onnx", "downloaded", "hub-sha256"],
      ["onnx/decoder_model_merged_quantized.onnx", "downloaded", "manifest"],
      ["onnx/encodec_decode.onnx", "downloaded", "manifest"],
    ]);
    expect(listTree(dest)).toEqual([
      ".cuesmith-lock.json",
      "config.json",
      "onnx/decoder_model_merged_quantized.onnx",
      "onnx/encodec_decode.onnx",
      "onnx/text_encoder.onnx",
    ]);
    for (const f of result.files)
      expect(fs.readFileSync(path.join(dest, f.file)).equals(FILES[f.file].content)).toBe(true);
    const lock = readLock(dest)!;
    expect(lock).toMatchObject({ model: "tiny-musicgen", repo: REPO, revision: REV });
    expect(lock.files["onnx/text_encoder.onnx"]).toEqual({
      size: 150_000,
      sha256: sha256(FILES["onnx/text_encoder.onnx"].content),
      verifiedBy: "hub-sha256",
      via: "download",
    });
    expect(lock.files["config.json"].sha256).toBe(sha256(FILES["config.json"].content));
    // Progress: never backwards within a phase, ends at 100% with "done".
    expect(events.length).toBeGreaterThan(4);
    const last = events[events.length - 1];
    expect(last.phase).toBe("done");
    expect(last.doneBytes).toBe(last.totalBytes);
    const downloads = events.filter((e) => e.phase === "download");
    for (let i = 1; i < downloads.length; i++)
      expect(downloads[i].doneBytes).toBeGreaterThanOrEqual(downloads[i - 1].doneBytes);
  });

  it("keeps intact files on a second run without the network (lock + manifest), and fetches only the other variant's decoder", async () => {
    hub = await new FakeHub().start();
    const dest = path.join(tmp("again"), "m");
    const manifest = testManifest();
    await fetchModel("tiny-musicgen", { manifest, dest, hubUrl: hub.url, hfCacheDir: false });
    const port = await closedPort();
    const again = await fetchModel("tiny-musicgen", {
      manifest,
      dest,
      hubUrl: `http://127.0.0.1:${port}`,
      hfCacheDir: false,
    });
    expect(again.files.every((f) => f.action === "present")).toBe(true);

    hub.log.length = 0;
    const fp32 = await fetchModel("tiny-musicgen", {
      manifest,
      dest,
      variant: "fp32",
      hubUrl: hub.url,
      hfCacheDir: false,
    });
    expect(fp32.files.map((f) => f.action)).toEqual(["present", "present", "downloaded", "present"]);
    expect(hub.log.every((l) => decodeURIComponent(l.url).includes("decoder_model_merged.onnx"))).toBe(true);
    const report = await verifyModel(dest, { manifest, deep: true });
    expect(report.ok).toBe(true);
    expect(report.complete).toEqual({ q8: true, fp32: true });
  });

  it("resumes a half-written .part with an HTTP Range request", async () => {
    hub = await new FakeHub().start();
    const dest = path.join(tmp("resume"), "m");
    const file = "onnx/decoder_model_merged_quantized.onnx";
    fs.mkdirSync(path.join(dest, "onnx"), { recursive: true });
    fs.writeFileSync(path.join(dest, `${file}.part`), FILES[file].content.subarray(0, 123_456));
    const result = await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
    });
    expect(result.files.find((f) => f.file === file)?.action).toBe("downloaded");
    expect(fs.readFileSync(path.join(dest, file)).equals(FILES[file].content)).toBe(true);
    expect(fs.existsSync(path.join(dest, `${file}.part`))).toBe(false);
    const gets = hub.requestsFor(file).filter((r) => r.method === "GET" && r.url.startsWith("/cdn/"));
    expect(gets).toHaveLength(1);
    expect(gets[0].range).toBe("bytes=123456-");
  });

  it("resumes by itself when the connection drops mid-transfer", async () => {
    const file = "onnx/text_encoder.onnx";
    hub = await new FakeHub({ dropAfter: new Map([[file, 40_000]]) }).start();
    const dest = path.join(tmp("drop"), "m");
    await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
      retryDelayMs: 10,
    });
    expect(fs.readFileSync(path.join(dest, file)).equals(FILES[file].content)).toBe(true);
    const ranges = hub
      .requestsFor(file)
      .filter((r) => r.method === "GET" && r.url.startsWith("/cdn/"))
      .map((r) => r.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(ranges[1]!.slice(6, -1))).toBeGreaterThan(0);
  });

  it.each([
    ["a manifest-pinned sha256", "onnx/encodec_decode.onnx"],
    ["the hub's published LFS sha256", "onnx/text_encoder.onnx"],
    ["the hub's git blob id", "config.json"],
  ])("rejects a download that does not match %s: names the file, installs nothing", async (_what, file) => {
    hub = await new FakeHub({ corrupt: new Set([file]) }).start();
    const dest = path.join(tmp("corrupt"), "m");
    const err = await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.code).toBe("wrong_hash");
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/nothing was installed/);
    expect(fs.existsSync(path.join(dest, file))).toBe(false);
    expect(fs.existsSync(path.join(dest, `${file}.part`))).toBe(false);
  });

  it("holds an approximate size against the hub, but never an estimated one (the hub's size and hash decide)", async () => {
    hub = await new FakeHub().start();
    const off = { "onnx/text_encoder.onnx": { size: 1_500_000 } }; // ten times the real file
    const refused = await fetchModel("tiny-musicgen", {
      manifest: testManifest(off),
      dest: path.join(tmp("approx"), "m"),
      hubUrl: hub.url,
      hfCacheDir: false,
    }).catch((e) => e);
    expect(refused.code).toBe("hub_mismatch");
    const dest = path.join(tmp("estimated"), "m");
    const estimated = { "onnx/text_encoder.onnx": { size: 1_500_000, sizeEstimated: true } };
    const result = await fetchModel("tiny-musicgen", {
      manifest: testManifest(estimated),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
    });
    expect(result.files.find((f) => f.file === "onnx/text_encoder.onnx")).toMatchObject({
      action: "downloaded",
      verifiedBy: "hub-sha256",
    });
    expect(readLock(dest)!.files["onnx/text_encoder.onnx"].size).toBe(150_000);
    // and a second, offline run trusts the lock, not the estimate
    const again = await fetchModel("tiny-musicgen", {
      manifest: testManifest(estimated),
      dest,
      hubUrl: "http://127.0.0.1:1",
      hfCacheDir: false,
    });
    expect(again.files.find((f) => f.file === "onnx/text_encoder.onnx")?.action).toBe("present");
  });

  it("refuses a hub whose published hash differs from the manifest's pin, before downloading", async () => {
    const file = "onnx/decoder_model_merged_quantized.onnx";
    hub = await new FakeHub({ advertise: new Map([[file, "f".repeat(64)]]) }).start();
    const dest = path.join(tmp("mismatch"), "m");
    const err = await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.code).toBe("hub_mismatch");
    expect(err.message).toContain(file);
    expect(hub.requestsFor(file).filter((r) => r.method === "GET")).toHaveLength(0);
  });

  describe("Hugging Face cache reuse", () => {
    /** huggingface_hub's layout: snapshots/<rev>/<path> -> ../../blobs/<sha256 | git blob id> (relative symlinks). */
    function makeCache(opts: { damaged?: string; revision?: string } = {}): string {
      const cache = emptyCache();
      const repoDir = path.join(cache, `models--${REPO.replace("/", "--")}`);
      fs.mkdirSync(path.join(repoDir, "blobs"), { recursive: true });
      fs.mkdirSync(path.join(repoDir, "refs"), { recursive: true });
      fs.writeFileSync(path.join(repoDir, "refs", "main"), REV);
      for (const [file, f] of Object.entries(FILES)) {
        const id = f.lfs ? sha256(f.content) : gitId(f.content);
        const content = Buffer.from(f.content);
        if (opts.damaged === file) content[10] ^= 0xff;
        fs.writeFileSync(path.join(repoDir, "blobs", id), content);
        const link = path.join(repoDir, "snapshots", opts.revision ?? REV, ...file.split("/"));
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.relative(path.dirname(link), path.join(repoDir, "blobs", id)), link);
      }
      return cache;
    }

    it("verifies and links cached files instead of downloading: no HTTP request at all", async () => {
      hub = await new FakeHub().start();
      const cache = makeCache();
      const dest = path.join(tmp("cache"), "m");
      const result = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest,
        hubUrl: hub.url,
        hfCacheDir: cache,
      });
      expect(hub.log).toEqual([]);
      expect(result.files.map((f) => [f.file, f.action, f.verifiedBy])).toEqual([
        ["config.json", "reused", "hf-cache-id"],
        ["onnx/text_encoder.onnx", "reused", "hf-cache-id"],
        ["onnx/decoder_model_merged_quantized.onnx", "reused", "manifest"],
        ["onnx/encodec_decode.onnx", "reused", "manifest"],
      ]);
      for (const f of result.files) {
        expect(fs.lstatSync(path.join(dest, f.file)).isSymbolicLink()).toBe(false);
        expect(fs.readFileSync(path.join(dest, f.file)).equals(FILES[f.file].content)).toBe(true);
      }
      expect((await verifyModel(dest, { manifest: testManifest(), deep: true })).ok).toBe(true);
    });

    it("finds the cache through HF_HUB_CACHE / HF_HOME", async () => {
      hub = await new FakeHub().start();
      const cache = makeCache();
      const viaHubCache = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest: path.join(tmp("env1"), "m"),
        hubUrl: hub.url,
        env: { HF_HUB_CACHE: cache },
      });
      expect(viaHubCache.files.every((f) => f.action === "reused")).toBe(true);
      const home = tmp("hfhome");
      fs.renameSync(cache, path.join(home, "hub"));
      const viaHome = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest: path.join(tmp("env2"), "m"),
        hubUrl: hub.url,
        env: { HF_HOME: home },
      });
      expect(viaHome.files.every((f) => f.action === "reused")).toBe(true);
      expect(hub.log).toEqual([]);
    });

    it("reuses blobs cached under another revision once their hash is known (pinned, or one HEAD each)", async () => {
      hub = await new FakeHub().start();
      const cache = makeCache({ revision: "f".repeat(40) });
      const dest = path.join(tmp("otherrev"), "m");
      const result = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest,
        hubUrl: hub.url,
        hfCacheDir: cache,
      });
      expect(result.files.map((f) => [f.file, f.action, f.verifiedBy])).toEqual([
        ["config.json", "reused", "hub-git-id"],
        ["onnx/text_encoder.onnx", "reused", "hub-sha256"],
        ["onnx/decoder_model_merged_quantized.onnx", "reused", "manifest"],
        ["onnx/encodec_decode.onnx", "reused", "manifest"],
      ]);
      // Only the two files without a pinned hash were asked about, and nothing was downloaded.
      expect(hub.log.map((l) => l.method)).toEqual(["HEAD", "HEAD"]);
      for (const f of result.files)
        expect(fs.readFileSync(path.join(dest, f.file)).equals(FILES[f.file].content)).toBe(true);
    });

    it("does not reuse a damaged cached file: downloads that one", async () => {
      hub = await new FakeHub().start();
      const cache = makeCache({ damaged: "onnx/text_encoder.onnx" });
      const dest = path.join(tmp("cachebad"), "m");
      const result = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest,
        hubUrl: hub.url,
        hfCacheDir: cache,
      });
      expect(result.files.find((f) => f.file === "onnx/text_encoder.onnx")?.action).toBe("downloaded");
      expect(result.files.filter((f) => f.action === "reused")).toHaveLength(3);
      expect(
        fs.readFileSync(path.join(dest, "onnx/text_encoder.onnx")).equals(FILES["onnx/text_encoder.onnx"].content),
      ).toBe(true);
    });
  });

  describe("offline", () => {
    const expectOffline = (err: unknown, host: string) => {
      expect(err).toBeInstanceOf(ModelFileError);
      const e = err as ModelFileError;
      expect(e.code).toBe("offline");
      expect(e.message.split("\n")).toHaveLength(1);
      expect(e.message).toContain(`cannot reach ${host}`);
      expect(e.message).toMatch(/no network/);
      expect(e.message).toContain("--model-dir");
      expect(e.message).toContain("HF_ENDPOINT");
    };

    it("fails fast with a clear message when the hub's port is closed", async () => {
      const port = await closedPort();
      const parent = tmp("off1");
      const dest = path.join(parent, "home", "models", "m");
      const t0 = Date.now();
      const err = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest,
        hubUrl: `http://127.0.0.1:${port}`,
        hfCacheDir: false,
      }).catch((e) => e);
      expect(Date.now() - t0).toBeLessThan(3000);
      expectOffline(err, "127.0.0.1");
      expect((err as Error).message).toMatch(/connection refused/);
      expect(fs.readdirSync(parent)).toEqual([]); // no empty folders left behind
    });

    it("fails fast with a clear message when the hub's name does not resolve", async () => {
      const t0 = Date.now();
      const err = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest: path.join(tmp("off2"), "m"),
        hubUrl: "http://cuesmith-offline.invalid",
        hfCacheDir: false,
      }).catch((e) => e);
      // DNS failure is normally immediate; a resolver that hangs is cut off by the 5 s connect timeout.
      expect(Date.now() - t0).toBeLessThan(6500);
      expectOffline(err, "cuesmith-offline.invalid");
    });

    it("gives up on a host that never answers after the connect timeout", async () => {
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed. Either the SYN goes nowhere (our timer fires) or the
      // machine says "unreachable" at once; both are "offline", quickly.
      const t0 = Date.now();
      const err = await fetchModel("tiny-musicgen", {
        manifest: testManifest(),
        dest: path.join(tmp("off3"), "m"),
        hubUrl: "http://192.0.2.1:9",
        hfCacheDir: false,
        connectTimeoutMs: 400,
      }).catch((e) => e);
      expect(Date.now() - t0).toBeLessThan(2500);
      expectOffline(err, "192.0.2.1");
    });

    it("reports the CLI fetch offline in one line with exit code 1", async () => {
      const port = await closedPort();
      const home = tmp("clihome");
      const saved = {
        HF_ENDPOINT: process.env.HF_ENDPOINT,
        CUESMITH_HOME: process.env.CUESMITH_HOME,
        HF_HUB_CACHE: process.env.HF_HUB_CACHE,
      };
      Object.assign(process.env, {
        HF_ENDPOINT: `http://127.0.0.1:${port}`,
        CUESMITH_HOME: home,
        HF_HUB_CACHE: emptyCache(),
      });
      const out: string[] = [];
      const errs: string[] = [];
      try {
        const code = await runModelsCommand(["fetch", "musicgen-small"], {
          out: (s) => out.push(s),
          err: (s) => errs.push(s),
        });
        expect(code).toBe(1);
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      const last = errs[errs.length - 1];
      expect(last).toMatch(
        /^cuesmith: cannot reach 127\.0\.0\.1 \(connection refused\) to fetch config\.json — no network/,
      );
      expect(last).toContain("--model-dir");
      expect(out).toEqual([]);
    });
  });

  it("cuts off a stalled transfer and keeps the .part; an abort keeps it too", async () => {
    const file = "onnx/decoder_model_merged_quantized.onnx";
    hub = await new FakeHub({ stallAfter: new Map([[file, 50_000]]) }).start();
    const dest = path.join(tmp("stall"), "m");
    const stalled = await fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
      idleTimeoutMs: 300,
      retries: 0,
    }).catch((e) => e);
    expect(stalled).toBeInstanceOf(ModelFileError);
    expect(stalled.code).toBe("network");
    expect(stalled.message).toContain(file);
    expect(fs.statSync(path.join(dest, `${file}.part`)).size).toBe(50_000);

    const controller = new AbortController();
    const aborted = fetchModel("tiny-musicgen", {
      manifest: testManifest(),
      dest,
      hubUrl: hub.url,
      hfCacheDir: false,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "download" && p.file === file && p.fileBytes >= 100_000) controller.abort();
      },
    }).catch((e) => e);
    const err = await aborted;
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.code).toBe("aborted");
    // The bytes that arrived before the abort stay in the .part for the next run.
    expect(fs.statSync(path.join(dest, `${file}.part`)).size).toBeGreaterThanOrEqual(50_000);
    expect(fs.existsSync(path.join(dest, file))).toBe(false);
  });
});
