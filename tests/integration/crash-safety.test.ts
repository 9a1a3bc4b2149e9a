// kill -9 the real daemon (`cuesmith serve`, compiled, tiny contract model) while it writes WAVs and appends
// feedback, a few times, then start it again: no temp file is left, every feedback line the client saw
// acknowledged (201) is in feedback.jsonl, and every WAV under a final name parses.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decodeWav } from "../../helper/audio/wav";
import { isOurTempName, STALE_TEMP_MS } from "../../helper/util/temp-sweep";
import { tinyModelDir } from "../helpers/contract-model";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "cuesmith.js");
const RUNS = 3;
/** Feedback: when each kill lands after the appends start (ms), fixed so a failure can be replayed. */
const KILL_AFTER_MS = [300, 700, 1200];
/**
 * WAVs: the beds of one batch finish together, so the first answer means its neighbours are being written (cache
 * entry, then placement) right now: each kill lands this long after it.
 */
const KILL_AFTER_FIRST_WAV_MS = [0, 3, 10];

const posixIt = process.platform === "win32" ? it.skip : it;

interface Daemon {
  child: ChildProcess;
  url: string;
}

async function startDaemon(home: string, modelDir: string): Promise<Daemon> {
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", "0", "--model-dir", modelDir, "--provider", "cpu", "--no-fetch"],
    {
      env: { ...process.env, CUESMITH_HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let log = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the helper did not start:\n${log}`)), 60_000);
    child.stderr!.on("data", (c: Buffer) => {
      log += c.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the helper exited (${code}) before listening:\n${log}`)));
  });
  child.stderr!.resume();
  started.add(child);
  // it listens while the model loads (health says "loading"): wait until it is ready for jobs
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
    if (health.status === "ok") return { child, url };
  }
  throw new Error("the helper did not load its model within 60 s");
}

/** Every daemon this file started, so none outlives a failing test. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function killHard(d: Daemon): Promise<void> {
  return new Promise((resolve) => {
    if (d.child.exitCode !== null || d.child.signalCode !== null) return resolve();
    d.child.once("exit", () => resolve());
    d.child.kill("SIGKILL");
  });
}

async function post(url: string, route: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Keeps `lanes` requests in flight until the daemon dies; returns what was acknowledged. */
async function hammer<T>(lanes: number, send: (n: number) => Promise<T | null>): Promise<T[]> {
  const acked: T[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (;;) {
        try {
          const got = await send(n++);
          if (got !== null) acked.push(got);
        } catch {
          return; // connection refused or reset: the daemon is gone
        }
      }
    }),
  );
  return acked;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Makes leftover temp files look as old as they would be when the user starts the helper again later. */
function ageTempFiles(home: string): number {
  const temps = filesUnder(home).filter((f) => isOurTempName(path.basename(f)));
  const past = (Date.now() - 2 * STALE_TEMP_MS) / 1000;
  for (const f of temps) fs.utimesSync(f, past, past);
  return temps.length;
}

describe("crash safety of the daemon's files", () => {
  posixIt(
    "kill -9 during WAV writes and feedback appends loses nothing acknowledged and leaves no temp file",
    async () => {
      if (!fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")))
        throw new Error("run `npm run build` first (npm test does)");
      const modelDir = await tinyModelDir();
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-crash-"));
      const acknowledged: string[] = [];
      let leftovers = 0;

      // a take the feedback can name, known to the render cache across restarts
      let d = await startDaemon(home, modelDir);
      const first = await post(d.url, "/generate", { prompt: "calm piano", duration_sec: 1, seed: 1 });
      expect(first.status).toBe(200);
      const sha256: string = first.json.sha256;

      for (let run = 0; run < RUNS; run++) {
        // WAVs: short beds, new seeds, several in flight, so renders, cache entries and placements are being written
        let firstWav!: () => void;
        const wrote = new Promise<void>((resolve) => (firstWav = resolve));
        const wavLoad = hammer(4, async (n) => {
          const r = await post(d.url, "/generate", {
            prompt: "lo-fi beat",
            duration_sec: 20,
            seed: 1000 * run + n + 2,
          });
          if (r.status !== 200) return null;
          firstWav();
          return n;
        });
        await wrote;
        await new Promise((r) => setTimeout(r, KILL_AFTER_FIRST_WAV_MS[run]));
        await killHard(d);
        await wavLoad;
        leftovers += ageTempFiles(home);
        d = await startDaemon(home, modelDir);

        // feedback: appends in flight from several clients
        const fbLoad = hammer(4, async (n) => {
          const r = await post(d.url, "/feedback", { sha256, reason: "too_loud", note: `run ${run} note ${n}` });
          return r.status === 201 ? (r.json.id as string) : null;
        });
        await new Promise((r) => setTimeout(r, KILL_AFTER_MS[run]));
        await killHard(d);
        acknowledged.push(...(await fbLoad));
        leftovers += ageTempFiles(home);
        d = await startDaemon(home, modelDir);
      }

      try {
        expect(acknowledged.length).toBeGreaterThan(0);
        // no temp file of ours survives the start-up sweep
        const temps = filesUnder(home).filter((f) => isOurTempName(path.basename(f)));
        expect(temps).toEqual([]);
        // every acknowledged feedback line is there, whole
        const lines = fs.readFileSync(path.join(home, "feedback.jsonl"), "utf8").split("\n");
        const ids = new Set(
          lines.flatMap((l) => {
            try {
              return [JSON.parse(l).id as string];
            } catch {
              return []; // a torn last line, never acknowledged
            }
          }),
        );
        for (const id of acknowledged) expect(ids.has(id)).toBe(true);
        // every WAV under a final name parses as the full 48 kHz bed
        const wavs = filesUnder(home).filter((f) => f.endsWith(".wav"));
        expect(wavs.length).toBeGreaterThan(1);
        for (const f of wavs) {
          const wav = decodeWav(fs.readFileSync(f));
          expect(wav.sampleRate).toBe(48000);
          expect([48000, 960000]).toContain(wav.channels[0].length);
        }
        // and the restarted daemon still serves
        const after = await post(d.url, "/feedback", { sha256, reason: "other", note: "after the crashes" });
        expect(after.status).toBe(201);
      } finally {
        await killHard(d);
      }
      console.log(
        `crash-safety: ${acknowledged.length} acknowledged feedback lines, ${leftovers} temp files left by kills and swept`,
      );
    },
    120_000,
  );
});
