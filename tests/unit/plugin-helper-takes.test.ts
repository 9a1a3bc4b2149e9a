// The helper client's side of the take loop over a scripted socket: `done` with several takes, the take-loop
// fields read although the shared parser drops them, a refused message failing its jobs with the field named,
// and a helper from before editable levels getting the same jobs again without `levels`.
import { HelperClient, type SocketLike } from "../../plugin/core/helper-client";
import { fakeJobResult, fakeSha } from "../helpers/take-results";

class ScriptedSocket implements SocketLike {
  readyState = 1;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(private readonly answer: (msg: Record<string, unknown>, socket: ScriptedSocket) => void) {
    setTimeout(() => this.onopen?.({}), 0);
  }
  send(data: string): void {
    const msg = JSON.parse(data) as Record<string, unknown>;
    this.sent.push(msg);
    setTimeout(() => this.answer(msg, this), 0);
  }
  reply(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  close(): void {
    this.onclose?.({});
  }
}

const SHA = fakeSha;
const result = (jobId: string, n: number, extra: Record<string, unknown> = {}) => ({
  ...fakeJobResult(`/beds/take${n}.wav`, 15, { job_id: jobId, seed: 100 + n, sha256: SHA(String(n)) }),
  ...extra,
});

async function connect(answer: (msg: Record<string, unknown>, socket: ScriptedSocket) => void) {
  let socket!: ScriptedSocket;
  const client = await HelperClient.connect("ws://fake", () => (socket = new ScriptedSocket(answer)));
  return { client, socket: () => socket };
}

test("variations: done carries every take, each with its take-loop fields", async () => {
  const { client } = await connect((msg, socket) => {
    const [job] = msg.jobs as { job_id: string; variations: number }[];
    const takes = [0, 1, 2].map((i) =>
      result(i === 0 ? job.job_id : `${job.job_id}#${i}`, i + 1, {
        take_index: i,
        levels: "keyframes",
        bed_gain_db: -12,
      }),
    );
    socket.reply({ type: "done", id: msg.id, job_id: job.job_id, result: takes[0], takes });
  });
  const [outcome] = await client.generate([{ job_id: "nt1", prompt: "warm", duration_sec: 15, variations: 3 }]);
  expect("result" in outcome && outcome.takes?.map((t) => [t.seed, t.take_index, t.bed_gain_db])).toEqual([
    [101, 0, -12],
    [102, 1, -12],
    [103, 2, -12],
  ]);
});

test("a refused message fails its jobs with the field named, instead of waiting forever", async () => {
  const { client } = await connect((msg, socket) =>
    socket.reply({
      type: "error",
      id: msg.id,
      error: { code: "invalid_field", message: "unknown field", field: "jobs[0].variations" },
    }),
  );
  const [outcome] = await client.generate([{ prompt: "warm", duration_sec: 15, variations: 3 }]);
  expect(outcome).toMatchObject({
    error: { code: "invalid_field", message: expect.stringContaining("jobs[0].variations") },
  });
  const extend = await client.extend({ sha256: SHA("1"), duration_sec: 20 });
  expect("error" in extend && extend.error.code).toBe("invalid_field");
});

test("a helper that does not know `levels` gets the same jobs again without it (baked beds)", async () => {
  const { client, socket } = await connect((msg, s) => {
    const jobs = msg.jobs as { job_id: string; levels?: string }[];
    if (jobs.some((j) => j.levels !== undefined))
      return s.reply({
        type: "error",
        id: msg.id,
        error: { code: "invalid_field", message: "unknown field", field: "jobs[0].levels" },
      });
    for (const [i, job] of jobs.entries())
      s.reply({ type: "done", id: msg.id, job_id: job.job_id, result: result(job.job_id, i + 1) });
  });
  const outcomes = await client.generate([
    { job_id: "a", scene_tag: "unboxing", duration_sec: 15, levels: "keyframes" },
    { job_id: "b", scene_tag: "outro", duration_sec: 5, levels: "keyframes" },
  ]);
  expect(outcomes.map((o) => ("result" in o ? [o.job_id, o.result.levels] : o.error))).toEqual([
    ["a", undefined],
    ["b", undefined],
  ]);
  expect(client.levelsUnsupported).toBe(true);
  expect(socket().sent).toHaveLength(2);
  expect((socket().sent[1].jobs as { job_id: string }[]).map((j) => j.job_id)).toEqual(["a", "b"]);
});
