// `cuesmith models ...`: fetch a model once, list what is installed, verify a folder, build a random-weight
// contract model for tests.
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultModelDir, modelsRoot } from "../config/paths";
import type { DecoderVariant } from "../../models/layout";
import { getModelEntry, modelNames } from "../../models/manifest";
import {
  fetchModel,
  FetchResult,
  formatBytes,
  listInstalled,
  ModelFileError,
  ProgressBar,
  verifyModel,
  VerifyReport,
} from "../../models/fetch";
import { buildTestModel } from "../../models/build";
import { buildWhisperTestModel } from "../../models/build/whisper";
import { buildNliTestModel } from "../../models/build/nli";
import { CliIO, numberOption, parse, stdio, UsageError } from "./args";

export const MODELS_USAGE = [
  "cuesmith models fetch NAME [--variant q8|fp32] [--dest DIR]      download once (e.g. musicgen-small); HF_ENDPOINT picks a mirror",
  "cuesmith models list [--root DIR] [--json]                        installed models and their complete variants",
  "cuesmith models verify [NAME | --model-dir DIR] [--variant q8|fp32] [--deep] [--json]   sizes (and sha256 with --deep)",
  "cuesmith models build-test --size tiny|small --out DIR [--seed N] a random-weight model with the real contract",
  "cuesmith models build-test --model whisper-tiny --out DIR [--seed N]   the same for Whisper (onnx-community/whisper-base layout)",
  "cuesmith models build-test --model emotion-tiny --out DIR [--seed N]   the same for the optional NLI emotion classifier",
].join("\n");

function variantOption(value: string | undefined): DecoderVariant | undefined {
  if (value === undefined) return undefined;
  if (value !== "q8" && value !== "fp32") throw new UsageError(`--variant must be q8 or fp32, got "${value}"`);
  return value;
}

/** Models that do not make music (listed apart in messages; used as published, no decoder rewrite). */
const OTHER_PURPOSE: Record<string, string> = { "whisper-base": "transcription", "emotion-nli": "emotion" };

function knownModel(name: string): void {
  if (getModelEntry(name)) return;
  const music = modelNames().filter((n) => !(n in OTHER_PURPOSE));
  const others = [...new Set(Object.values(OTHER_PURPOSE))].map((purpose) => {
    const names = modelNames().filter((n) => OTHER_PURPOSE[n] === purpose);
    return names.length ? `; for ${purpose}: ${names.join(", ")}` : "";
  });
  throw new UsageError(`unknown model "${name}" (known: ${music.join(", ")})${others.join("")}`);
}

function onePositional(positionals: string[], what: string, required: boolean): string | undefined {
  if (positionals.length > 1)
    throw new UsageError(`expected one ${what}, got ${positionals.length}: ${positionals.join(" ")}`);
  if (required && positionals.length === 0) throw new UsageError(`missing ${what}`);
  return positionals[0];
}

export async function runModelsCommand(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "fetch":
        return await fetchCommand(rest, io);
      case "list":
        return await listCommand(rest, io);
      case "verify":
        return await verifyCommand(rest, io);
      case "build-test":
        return await buildTestCommand(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.out(MODELS_USAGE);
        return 0;
      case undefined:
        io.err(
          "cuesmith models: missing sub-command (fetch, list, verify or build-test; `cuesmith models help` shows them)",
        );
        return 2;
      default:
        io.err(`cuesmith models: unknown sub-command "${sub}" (use fetch, list, verify or build-test)`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`cuesmith models ${sub}: ${err.message}`);
      return 2;
    }
    if (err instanceof ModelFileError) {
      io.err(`cuesmith: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

async function fetchCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { variant: { type: "string" }, dest: { type: "string" } }, true);
  const name = onePositional(positionals, "model name (e.g. musicgen-small)", true)!;
  knownModel(name);
  const variant = variantOption(values.variant);
  if (values.dest !== undefined && values.dest.trim() === "") throw new UsageError("--dest must be a folder");
  const dest = values.dest !== undefined ? path.resolve(values.dest) : undefined;

  const tty = io === stdio && !!process.stderr.isTTY;
  const bar = new ProgressBar(
    tty
      ? { write: (s) => process.stderr.write(s), tty: true, columns: process.stderr.columns }
      : { write: (s) => io.err(s.replace(/\n$/, "")), tty: false },
  );
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: FetchResult;
  try {
    // the install-time decoder rewrites (models/transform) are MusicGen's: other models are used as published
    const musicOnly = name in OTHER_PURPOSE ? { derive: false } : {};
    result = await fetchModel(name, { variant, dest, onProgress: bar.update, signal: controller.signal, ...musicOnly });
  } finally {
    process.removeListener("SIGINT", onSigint);
    bar.finish();
  }
  const count = (a: string) => result.files.filter((f) => f.action === a);
  const downloaded = count("downloaded");
  const reused = count("reused");
  const present = count("present");
  const parts = [
    downloaded.length
      ? `downloaded ${downloaded.length} (${formatBytes(downloaded.reduce((n, f) => n + f.size, 0))})`
      : "",
    reused.length ? `reused ${reused.length} from the Hugging Face cache` : "",
    present.length ? `${present.length} already present` : "",
  ].filter(Boolean);
  io.out(`${result.model} (${result.variant} decoder) is ready in ${result.dir}: ${parts.join(", ")}`);
  io.out(`  ${result.repo} @ ${result.revision}; sizes and sha256 recorded in ${path.basename(result.lockFile)}`);
  io.out(`  licence of the weights: ${result.license}${result.licenseNote ? ` — ${result.licenseNote}` : ""}`);
  return 0;
}

async function listCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, root: { type: "string" } }, true);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const root = path.resolve(values.root ?? modelsRoot());
  const models = await listInstalled(root);
  if (values.json) {
    io.out(JSON.stringify({ root, models }, null, 2));
    return 0;
  }
  if (models.length === 0) {
    io.out(`no models installed in ${root} — run \`npx cuesmith models fetch ${modelNames()[0]}\``);
    return 0;
  }
  io.out(`models in ${root}:`);
  for (const m of models) {
    const state = m.variants.length ? `complete: ${m.variants.join(", ")}` : "incomplete";
    const rev = m.revision ? ` @ ${m.revision.slice(0, 7)}` : "";
    io.out(`  ${m.name.padEnd(20)} ${state.padEnd(22)} ${formatBytes(m.bytes).padStart(8)}${rev}`);
    if (m.partialDownloads.length)
      io.out(`      partial downloads (resume with models fetch): ${m.partialDownloads.join(", ")}`);
    if (!m.variants.length) for (const p of m.problems.slice(0, 3)) io.out(`      ${p}`);
  }
  return 0;
}

const STATUS_LABEL: Record<string, string> = {
  ok: "ok",
  missing: "MISSING",
  wrong_size: "WRONG SIZE",
  wrong_hash: "WRONG HASH",
};

async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      "model-dir": { type: "string" },
      variant: { type: "string" },
      deep: { type: "boolean" },
      json: { type: "boolean" },
    },
    true,
  );
  const name = onePositional(positionals, "model name", false);
  if (name && values["model-dir"] !== undefined) throw new UsageError("give a model name or --model-dir, not both");
  if (name) knownModel(name);
  const variant = variantOption(values.variant);
  const model = name ?? (values["model-dir"] === undefined ? modelNames()[0] : undefined);
  const dir = values["model-dir"] !== undefined ? path.resolve(values["model-dir"]) : defaultModelDir(model!);
  const report = await verifyModel(dir, { deep: values.deep === true, variant, model });
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  }
  printReport(report, io);
  return report.ok ? 0 : 1;
}

function printReport(r: VerifyReport, io: CliIO): void {
  io.out(
    `${r.model} in ${r.dir} — variant${r.checked.length > 1 ? "s" : ""} ${r.checked.join(", ")}; ${r.deep ? "sizes and sha256" : "sizes (add --deep for sha256)"}`,
  );
  for (const f of r.files) {
    let detail = "";
    if (f.status === "ok")
      detail = `${f.actualSize ?? "?"} bytes${f.hashChecked ? ", sha256 ok" : ""}${f.basis === "approximate" ? " (size only roughly known)" : ""}`;
    else if (f.status === "wrong_size")
      detail = `${f.actualSize} bytes, expected ${f.sizeApprox ? "about " : ""}${f.expectedSize}`;
    else if (f.status === "wrong_hash") detail = `sha256 ${f.actualSha256}, expected ${f.expectedSha256}`;
    io.out(`  ${STATUS_LABEL[f.status].padEnd(10)} ${f.file}${detail ? `  ${detail}` : ""}`);
  }
  for (const n of r.notes) io.out(`  note: ${n}`);
  const bad = r.files.filter((f) => f.status !== "ok");
  if (bad.length === 0) {
    io.out(`ok: ${(Object.keys(r.complete) as DecoderVariant[]).filter((v) => r.complete[v]).join(", ")} complete`);
  } else {
    io.err(`cuesmith: ${bad.length} file${bad.length > 1 ? "s" : ""} missing or damaged in ${r.dir} — ${bad[0].fix}`);
  }
}

async function buildTestCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { size: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, model: { type: "string" } },
    true,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.model !== undefined && !["whisper-tiny", "emotion-tiny", "musicgen"].includes(values.model)) {
    throw new UsageError(`--model must be musicgen (the default), whisper-tiny or emotion-tiny, got "${values.model}"`);
  }
  const whisper = values.model === "whisper-tiny";
  const emotion = values.model === "emotion-tiny";
  if ((whisper || emotion) && values.size !== undefined && values.size !== "tiny")
    throw new UsageError(`--model ${values.model} has only --size tiny`);
  if (!whisper && !emotion && values.size !== "tiny" && values.size !== "small") {
    throw new UsageError(
      values.size === undefined
        ? "--size tiny|small is required"
        : `--size must be tiny or small, got "${values.size}"`,
    );
  }
  if (values.out === undefined || values.out.trim() === "") throw new UsageError("--out DIR is required");
  const seed = numberOption("seed", values.seed, (n) => Number.isInteger(n) && n >= 0, "a whole number >= 0");
  const outDir = path.resolve(values.out);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) {
    // only ever replace an earlier contract model, never a folder holding something else (real weights!)
    let marker: unknown;
    try {
      marker = JSON.parse(fs.readFileSync(path.join(outDir, "config.json"), "utf8")).cuesmith_contract_model;
    } catch {
      marker = undefined;
    }
    if (!marker)
      throw new UsageError(`--out ${outDir} is not empty and is not a contract model; choose another folder`);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  if (emotion) {
    buildNliTestModel(outDir, seed);
    io.out(`tiny NLI emotion contract model (random weights, published layout) written to ${outDir}`);
    return 0;
  }
  if (whisper) {
    await buildWhisperTestModel({ outDir, seed, variants: ["fp32", "q8"], onProgress: (msg) => io.err(msg) });
    io.out(`tiny Whisper contract model (random weights, published layout) written to ${outDir}`);
    return 0;
  }
  await buildTestModel({ size: values.size as "tiny" | "small", outDir, seed, onProgress: (msg) => io.err(msg) });
  io.out(`${values.size} contract model (random weights, published layout) written to ${outDir}`);
  return 0;
}
