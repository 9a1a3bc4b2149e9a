// Reads and writes ONNX models for install-time rewrites without duplicating weights: a rewritten model
// references the source's weight bytes where they already lie on disk — in the source's external data file,
// or (for inline raw_data) inside the source .onnx itself, by byte offset — so a 1.7 GB decoder is never copied.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { onnx } from "onnx-proto";

const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

/** Every graph of a model: the main graph and, depth first, the subgraphs of its nodes (If branches). */
export function allGraphs(graph: onnx.IGraphProto): onnx.IGraphProto[] {
  const out = [graph];
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) out.push(...allGraphs(a.g));
      for (const g of a.graphs ?? []) out.push(...allGraphs(g));
    }
  }
  return out;
}

/**
 * Decodes `file`. Inline initializers of at least `minBytes` become EXTERNAL references to their own bytes
 * inside `file` (protobufjs decodes bytes fields as views of the file buffer, so their offsets are known).
 * Only valid for a model written next to `file`: locations are relative to the model's folder.
 */
export function readModelByReference(file: string, minBytes = 1024): onnx.ModelProto {
  const buf = fs.readFileSync(file);
  const model = onnx.ModelProto.decode(buf);
  if (!model.graph) throw new Error(`${path.basename(file)} has no graph`);
  const location = path.basename(file);
  for (const g of allGraphs(model.graph)) {
    for (const t of g.initializer ?? []) {
      const raw = t.rawData;
      if (t.dataLocation === EXTERNAL || !raw || raw.length < minBytes) continue;
      if (raw.buffer !== buf.buffer) throw new Error("onnx-proto copied raw_data: cannot reference it by offset");
      t.externalData = [
        { key: "location", value: location },
        { key: "offset", value: String(raw.byteOffset - buf.byteOffset) },
        { key: "length", value: String(raw.length) },
      ] as onnx.StringStringEntryProto[];
      t.dataLocation = EXTERNAL;
      t.rawData = new Uint8Array(0);
    }
  }
  return model;
}

/** Files (relative locations) a model's external initializers point at. */
export function externalFiles(model: onnx.IModelProto): string[] {
  const files = new Set<string>();
  for (const g of allGraphs(model.graph ?? {})) {
    for (const t of g.initializer ?? []) {
      if (t.dataLocation !== EXTERNAL) continue;
      const loc = t.externalData?.find((e) => e.key === "location")?.value;
      if (loc) files.add(loc);
    }
  }
  return [...files];
}

/**
 * A cheap identity of a file the rewrite depends on: size plus sha256 of its first and last MiB. A re-fetched
 * file of another revision changes it, so a stale rewrite (pointing at wrong offsets) is never used.
 */
export function fileFingerprint(file: string): string {
  const MiB = 1 << 20;
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, "r");
  try {
    const hash = crypto.createHash("sha256").update(String(size));
    const chunk = Buffer.alloc(Math.min(MiB, size));
    for (const at of size > MiB ? [0, size - MiB] : [0]) {
      fs.readSync(fd, chunk, 0, chunk.length, at);
      hash.update(chunk);
    }
    return `${size}:${hash.digest("hex").slice(0, 32)}`;
  } finally {
    fs.closeSync(fd);
  }
}

const FINGERPRINT_KEY = "cuesmith.sources";

/** Records the fingerprints of the files (relative to `dir`) a rewritten model reads from. */
export function stampSources(model: onnx.IModelProto, dir: string, files: string[]): void {
  const value = JSON.stringify(Object.fromEntries(files.map((f) => [f, fileFingerprint(path.join(dir, f))])));
  model.metadataProps = [
    ...(model.metadataProps ?? []).filter((p) => p.key !== FINGERPRINT_KEY),
    { key: FINGERPRINT_KEY, value },
  ];
}

/** Reads a metadata property of a (small) model file without loading its weights. */
export function readMetadata(file: string): Record<string, string> {
  const model = onnx.ModelProto.decode(fs.readFileSync(file));
  return Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? "", p.value ?? ""]));
}

/** True when every source a rewritten model was stamped with is still the same file. */
export function sourcesUnchanged(file: string): boolean {
  try {
    const stamped = JSON.parse(readMetadata(file)[FINGERPRINT_KEY] ?? "null") as Record<string, string> | null;
    if (!stamped) return false;
    const dir = path.dirname(file);
    return Object.entries(stamped).every(
      ([f, fp]) => fs.existsSync(path.join(dir, f)) && fileFingerprint(path.join(dir, f)) === fp,
    );
  } catch {
    return false;
  }
}

/** Encodes and writes atomically (temp file + rename), so a crash never leaves a half-written model in place. */
export function writeModel(file: string, model: onnx.IModelProto): void {
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`invalid ModelProto: ${err}`);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, onnx.ModelProto.encode(model).finish());
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
