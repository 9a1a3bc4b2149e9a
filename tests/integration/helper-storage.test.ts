// The real helper on a free port (tiny contract model): prototype names as tags never break a job or its batch
// neighbours and survive a restart; output folders are confined on their real path, also at the final rename.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import WebSocket from "ws";
import type { RunningHelper } from "../../helper/server/app";
import { startTestHelper } from "../helpers/daemon";

async function http(helper: RunningHelper, method: string, route: string, body?: unknown) {
  const res = await fetch(`${helper.url}${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** Sends one WebSocket message and collects the final `done` or `error` of each job id. */
async function wsJobs(helper: RunningHelper, msg: unknown, jobIds: string[]): Promise<Record<string, any>> {
  const ws = new WebSocket(helper.url.replace("http", "ws"));
  const finals: Record<string, any> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(finals)}`)), 120_000);
    ws.on("error", reject);
    ws.on("open", () => ws.send(JSON.stringify(msg)));
    ws.on("message", (data) => {
      const m = JSON.parse(data.toString());
      if ((m.type === "done" || m.type === "error") && jobIds.includes(m.job_id)) finals[m.job_id] = m;
      if (jobIds.every((id) => finals[id])) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  ws.close();
  return finals;
}

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-storage-")));

describe("prototype names as scene tags", () => {
  let helper: RunningHelper;
  let presetsFile: string;
  beforeAll(async () => {
    presetsFile = path.join(tmp(), "presets.json");
    helper = await startTestHelper({ presetsFile, outputRoots: [tmp()] });
  });
  afterAll(() => helper.close());

  it("a batch holding constructor/valueof tags and a refused folder: every other job still finishes", async () => {
    const outside = tmp();
    const finals = await wsJobs(
      helper,
      {
        type: "generate",
        id: "p1",
        jobs: [
          { job_id: "ctor", scene_tag: "constructor", duration_sec: 1, seed: 1 },
          { job_id: "plain", scene_tag: "unboxing", duration_sec: 1, seed: 2 },
          { job_id: "valueof", scene_tag: "valueOf", duration_sec: 1, seed: 3 },
          { job_id: "escape", prompt: "calm piano", duration_sec: 1, seed: 4, output_dir: outside },
          { job_id: "prompt", prompt: "lo-fi beat", duration_sec: 1, seed: 5 },
        ],
      },
      ["ctor", "plain", "valueof", "escape", "prompt"],
    );
    for (const id of ["ctor", "plain", "valueof", "prompt"]) expect(finals[id]).toMatchObject({ type: "done" });
    expect(finals.ctor.result.prompt).toBe("constructor background music for video, clear instruments, no vocals");
    expect(finals.escape).toMatchObject({ type: "error", error: { code: "forbidden", field: "output_dir" } });
    expect(finals.plain.result.batch_size).toBe(4); // the good jobs still ran as one batch
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it("a stored preset named constructor keeps working after a restart, and edits stay allowed", async () => {
    expect(
      (await http(helper, "PUT", "/presets/constructor", { prompt: "building blocks, playful marimba", seed: 11 }))
        .status,
    ).toBe(200);
    await helper.close();
    helper = await startTestHelper({ presetsFile, outputRoots: [tmp()] }); // a new daemon reading the same file
    expect(await http(helper, "GET", "/presets/constructor")).toMatchObject({
      status: 200,
      json: { preset: { prompt: "building blocks, playful marimba", seed: 11 } },
    });
    expect((await http(helper, "PUT", "/presets/rainy_city", { prompt: "lo-fi beat, soft rain" })).status).toBe(200);
    expect((await http(helper, "DELETE", "/presets/tutorial")).status).toBe(200);
    const gen = await http(helper, "POST", "/generate", { scene_tag: "constructor", duration_sec: 1 });
    expect(gen).toMatchObject({ status: 200, json: { prompt: "building blocks, playful marimba", seed: 11 } });
    expect((await http(helper, "DELETE", "/presets/constructor")).status).toBe(200);
    expect((await http(helper, "GET", "/presets/valueof")).status).toBe(404);
  });
});

describe("output folders confined on their real path", () => {
  let helper: RunningHelper;
  let root: string;
  beforeAll(async () => {
    root = tmp();
    helper = await startTestHelper({ outputRoots: [root] });
  });
  afterAll(() => helper.close());

  it("refuses a symlink leading out of the roots with 403 forbidden, and writes nothing there", async () => {
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, "lnk"));
    for (const dir of [path.join(root, "lnk"), path.join(root, "lnk", "new")]) {
      const r = await http(helper, "POST", "/generate", { prompt: "calm piano", duration_sec: 1, output_dir: dir });
      expect(r.status).toBe(403);
      expect(r.json.error).toMatchObject({ code: "forbidden", field: "output_dir" });
    }
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it("follows a symlink that stays inside, and creates missing subfolders", async () => {
    fs.mkdirSync(path.join(root, "real"));
    fs.symlinkSync(path.join(root, "real"), path.join(root, "alias"));
    const r = await http(helper, "POST", "/generate", {
      prompt: "calm piano",
      duration_sec: 1,
      output_dir: path.join(root, "alias", "beds"),
    });
    expect(r.status).toBe(200);
    expect(path.dirname(r.json.path)).toBe(path.join(root, "real", "beds"));
    expect(fs.existsSync(r.json.path)).toBe(true);
  });

  it("a folder swapped for a link while the bed is generated is caught before the rename", async () => {
    const outside = tmp();
    const dir = path.join(root, "swapped");
    fs.mkdirSync(dir);
    let swapped = false;
    const job = helper.ctx.submit({ prompt: "slow strings", duration_sec: 2, seed: 9, output_dir: dir }, "swap-1", {
      onProgress: () => {
        if (swapped) return;
        swapped = true;
        fs.rmSync(dir, { recursive: true });
        fs.symlinkSync(outside, dir);
      },
    });
    await expect(job.result).rejects.toMatchObject({ code: "forbidden", field: "output_dir" });
    expect(swapped).toBe(true);
    expect(fs.readdirSync(outside)).toEqual([]); // neither the bed nor a temp file
  });
});
