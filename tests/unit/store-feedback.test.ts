import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkFeedbackRecord, defaultFeedbackFile, FeedbackInput, FeedbackLog } from "../../helper/store/feedback-log";
import { StoreError } from "../../helper/store/errors";

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-feedback-")), "feedback.jsonl");
const sha = (i: number) => i.toString(16).padStart(64, "0");
const entry = (i: number, over: Partial<FeedbackInput> = {}): FeedbackInput => ({
  reason: "too_loud",
  note: `note ${i}`,
  job_id: `job-${i}`,
  prompt: "upbeat tech product reveal music",
  tag: "unboxing",
  seed: i,
  model: "musicgen-small",
  sha256: sha(i),
  duration_sec: 15,
  bpm_estimate: 118,
  ...over,
});
const lines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");

describe("FeedbackLog", () => {
  it("defaults to <CUESMITH_HOME>/feedback.jsonl", () => {
    expect(defaultFeedbackFile({ CUESMITH_HOME: "/tmp/cs-home" })).toBe(path.join("/tmp/cs-home", "feedback.jsonl"));
  });

  it("opens a missing file as an empty log without creating it; the first append creates it (and its folder)", async () => {
    const file = path.join(path.dirname(tmpFile()), "sub", "f.jsonl");
    const log = await FeedbackLog.open(file);
    expect(await log.readAll()).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
    await log.append(entry(1));
    expect(lines(file)).toHaveLength(1);
  });

  it("stores the full record, one JSON line, on disk before the promise resolves", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const stored = await log.append(entry(7, { sha256: "AB".repeat(32), note: "drowns the voice\nin the intro" }));
    expect(stored).toMatchObject({
      reason: "too_loud",
      tag: "unboxing",
      seed: 7,
      sha256: "ab".repeat(32),
      note: "drowns the voice\nin the intro",
    });
    expect(stored.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(stored.time).toISOString()).toBe(stored.time);
    // acknowledged -> already in the file, as exactly one line
    expect(lines(file).map((l) => JSON.parse(l))).toEqual([stored]);
  });

  it("keeps every acknowledged entry across a process-style reopen", async () => {
    const file = tmpFile();
    const first = await FeedbackLog.open(file);
    const a = await first.append(entry(1));
    const b = await first.append(entry(2, { reason: "wrong_instrument", tag: undefined }));
    // a new process: nothing shared but the file
    const second = await FeedbackLog.open(file);
    expect(second.warnings).toEqual([]);
    expect(await second.readAll()).toEqual([a, b]);
    const c = await second.append(entry(3));
    const third = await FeedbackLog.open(file);
    expect((await third.readAll()).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
  });

  it("writes 100 concurrent appends as 100 whole lines, in call order", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const stored = await Promise.all(
      Array.from({ length: 100 }, (_, i) => log.append(entry(i, { note: `n${i} `.repeat(i * 5) }))),
    );
    const onDisk = lines(file).map((l) => JSON.parse(l));
    expect(onDisk).toHaveLength(100);
    expect(onDisk.map((e) => e.seed)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(onDisk).toEqual(stored);
    expect(new Set(onDisk.map((e) => e.id)).size).toBe(100);
    const reopened = await FeedbackLog.open(file);
    expect(reopened.warnings).toEqual([]);
    expect(await reopened.readAll()).toEqual(stored);
  });

  it("ignores a torn last line with a warning, without modifying the file on open", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const kept = await log.append(entry(1));
    fs.appendFileSync(file, '{"id":"torn","reason":"too_');
    const size = fs.statSync(file).size;
    const reader = await FeedbackLog.open(file);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toMatch(/incomplete last line/);
    expect(await reader.readAll()).toEqual([kept]);
    expect(fs.statSync(file).size).toBe(size); // a reader (cuesmith report) never writes
  });

  it("the next append cuts the torn tail off, so every line in the file is whole again", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    await log.append(entry(1));
    fs.appendFileSync(file, '{"id":"torn","rea');
    const reopened = await FeedbackLog.open(file);
    await reopened.append(entry(2));
    expect(lines(file).map((l) => JSON.parse(l).seed)).toEqual([1, 2]);
    const again = await FeedbackLog.open(file);
    expect(again.warnings).toEqual([]);
    expect((await again.readAll()).map((e) => e.seed)).toEqual([1, 2]);
  });

  it("keeps a whole last record that only lacks its newline (e.g. a hand edit)", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const a = await log.append(entry(1));
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").trimEnd());
    const reopened = await FeedbackLog.open(file);
    expect(await reopened.readAll()).toEqual([a]);
    const b = await reopened.append(entry(2));
    expect(lines(file).map((l) => JSON.parse(l))).toEqual([a, b]);
  });

  it("skips lines that are not records, naming the line", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const a = await log.append(entry(1));
    fs.appendFileSync(
      file,
      "garbage\n" + JSON.stringify({ id: "x", time: "2026-01-01T00:00:00Z", reason: "too_quiet" }) + "\n\n",
    );
    const b = await log.append(entry(2));
    const reopened = await FeedbackLog.open(file);
    expect(await reopened.readAll()).toEqual([a, b]);
    expect(reopened.warnings).toEqual([
      expect.stringMatching(/line 2 is not JSON/),
      expect.stringMatching(/line 3 was skipped: reason must be one of/),
    ]);
  });

  it("refuses a malformed entry without writing anything", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    await expect(log.append(entry(1, { reason: "too_quiet" as never }))).rejects.toMatchObject({
      code: "invalid_field",
      field: "reason",
    });
    await expect(log.append(entry(1, { sha256: "nothex" }))).rejects.toBeInstanceOf(StoreError);
    await expect(log.append(entry(1, { seed: -1 }))).rejects.toMatchObject({ field: "seed" });
    await expect(log.append(entry(1, { prompt: "" }))).rejects.toMatchObject({ field: "prompt" });
    await expect(log.append(entry(1, { note: "x".repeat(2001) }))).rejects.toMatchObject({ field: "note" });
    expect(fs.existsSync(file)).toBe(false);
    // and the queue keeps working after a refusal
    await log.append(entry(2));
    expect(lines(file)).toHaveLength(1);
  });

  it("accepts the optional fields being absent, and a null bpm estimate", async () => {
    const log = await FeedbackLog.open(tmpFile());
    const stored = await log.append({
      reason: "other",
      note: "",
      prompt: "p",
      seed: 0,
      model: "m",
      sha256: sha(9),
      bpm_estimate: null,
    });
    expect(stored).not.toHaveProperty("job_id");
    expect(stored).not.toHaveProperty("tag");
    expect(checkFeedbackRecord(stored)).toBeNull();
  });

  it("readAll sees lines another writer appended meanwhile", async () => {
    const file = tmpFile();
    const helper = await FeedbackLog.open(file);
    const other = await FeedbackLog.open(file);
    const a = await helper.append(entry(1));
    const b = await other.append(entry(2));
    expect(await helper.readAll()).toEqual([a, b]);
  });

  it("starts its line on a new line when another writer left a line unfinished after it looked", async () => {
    const file = tmpFile();
    const log = await FeedbackLog.open(file);
    const a = await log.append(entry(1));
    fs.appendFileSync(file, '{"id":"half'); // not seen by `log`: someone else's write in progress
    const b = await log.append(entry(2));
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain('{"id":"half\n'); // kept, not cut
    const reopened = await FeedbackLog.open(file);
    expect(await reopened.readAll()).toEqual([a, b]);
    expect(reopened.warnings).toEqual([expect.stringMatching(/line 2 is not JSON/)]);
  });
});
