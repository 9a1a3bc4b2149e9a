// Peak memory and time of EnCodec for long clips: one call over the whole clip vs the engine's chunks
// (helper/engine/encodec-chunks.ts). Each case runs in its own process so that its peak RSS is its own.
//   node dist/bench/encodec-memory.js [--model-dir bench/models/small-s0] [--seconds 30,60,120,300] [--out bench/encodec-memory.json]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { CHUNK_DEFAULTS, decodeCodes } from "../helper/engine/encodec-chunks";
import { ONNX_DIR, ONNX_FILES } from "../models/layout";

interface Case {
  seconds: number;
  mode: "whole" | "chunked";
  ms: number;
  baseMb: number;
  peakMb: number;
}

async function child(dir: string, seconds: number, mode: "whole" | "chunked"): Promise<Case> {
  const encodec = await ort.InferenceSession.create(path.join(dir, ONNX_DIR, ONNX_FILES.encodec), {
    graphOptimizationLevel: "all",
  });
  const frames = seconds * 50;
  const codes = Array.from({ length: 4 }, (_, k) =>
    Int32Array.from({ length: frames }, (_, f) => (Math.floor(f / 3) * 7919 + k * 104729) % 2048),
  );
  const baseMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const t0 = performance.now();
  await decodeCodes(encodec, codes, frames * 640, mode === "whole" ? { chunkFrames: frames } : {});
  return {
    seconds,
    mode,
    ms: Math.round(performance.now() - t0),
    baseMb,
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "model-dir": { type: "string", default: "bench/models/small-s0" },
      seconds: { type: "string", default: "30,60,120,300" },
      out: { type: "string" },
      child: { type: "string" },
    },
  });
  const dir = path.resolve(values["model-dir"]!);
  if (values.child) {
    const [seconds, mode] = values.child.split(":");
    process.stdout.write(JSON.stringify(await child(dir, Number(seconds), mode as Case["mode"])));
    return;
  }
  const results: Case[] = [];
  for (const seconds of values.seconds!.split(",").map(Number)) {
    for (const mode of ["whole", "chunked"] as const) {
      const out = execFileSync(process.execPath, [__filename, "--model-dir", dir, "--child", `${seconds}:${mode}`], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      });
      results.push(JSON.parse(out) as Case);
      const r = results[results.length - 1];
      console.log(`| ${r.seconds} s | ${r.mode} | ${(r.ms / 1000).toFixed(1)} s | ${r.peakMb - r.baseMb} MB |`);
    }
  }
  if (values.out) fs.writeFileSync(values.out, JSON.stringify({ chunk: CHUNK_DEFAULTS, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
