import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runReportCommand } from "../../helper/cli/report-command";
import { buildReport, parseSince, renderReport } from "../../helper/report";
import type { FeedbackRecord } from "../../helper/store/feedback-log";

const now = new Date("2026-11-24T12:00:00Z");
let n = 0;
const fb = (over: Partial<FeedbackRecord>): FeedbackRecord => ({
  id: String(n++), time: "2026-11-23T10:00:00Z", reason: "too_loud", note: "", prompt: "upbeat tech", tag: "unboxing", seed: 1, model: "m", sha256: "a".repeat(64), ...over,
});

const entries = [
  fb({}),
  fb({}), // the same take, the same reason: counted once
  fb({ reason: "tempo_slow" }),
  fb({ sha256: "b".repeat(64) }),
  fb({ reason: "wrong_instrument", prompt: "calm strings", tag: "tutorial", sha256: "c".repeat(64), note: "wanted a piano, not violins" }),
  fb({ time: "2026-10-01T00:00:00Z", sha256: "d".repeat(64) }), // outside the window
];

describe("feedback report", () => {
  const report = buildReport(entries, { since: parseSince("7d", now), now });

  it("counts per reason, tag and prompt, each take once per reason, within the window", () => {
    expect(report.entries).toBe(5);
    expect(report.distinct).toBe(4);
    expect(report.byReason).toEqual({ too_loud: 2, tempo_slow: 1, wrong_instrument: 1 });
    expect(report.byTag).toEqual({ unboxing: { too_loud: 2, tempo_slow: 1 }, tutorial: { wrong_instrument: 1 } });
    expect(report.worstPrompts[0]).toMatchObject({ prompt: "upbeat tech", count: 3, takes: 2 });
  });

  it("suggests concrete preset changes", () => {
    const loud = report.suggestions.find((s) => s.reason === "too_loud")!;
    expect(loud.count).toBe(2);
    expect(loud.suggestion).toMatch(/#unboxing/);
    expect(loud.suggestion).toMatch(/bed level|soft/);
    expect(report.suggestions.find((s) => s.reason === "tempo_slow")!.suggestion).toMatch(/120 bpm/);
    expect(report.suggestions.find((s) => s.reason === "wrong_instrument")!.suggestion).toMatch(/"piano"/);
  });

  it("renders Markdown, escaped HTML and JSON", () => {
    expect(renderReport(report, "md")).toMatch(/## Suggestions for the preset table/);
    const evil = buildReport([fb({ prompt: "<script>alert(1)</script>" })], { since: parseSince("7d", now), now });
    const html = renderReport(evil, "html");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;");
    expect(JSON.parse(renderReport(report, "json")).distinct).toBe(4);
  });

  it("reads --since as days, hours, minutes or a date", () => {
    expect(parseSince("24h", now).toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(parseSince("30m", now).toISOString()).toBe("2026-11-24T11:30:00.000Z");
    expect(parseSince("2026-11-01").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(() => parseSince("last week")).toThrow(RangeError);
  });
});

describe("cuesmith report", () => {
  const io = () => {
    const out: string[] = [], err: string[] = [];
    return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
  };
  it("prints the Markdown report from a feedback file", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-rep-")), "f.jsonl");
    fs.writeFileSync(file, entries.map((e) => JSON.stringify({ ...e, time: new Date().toISOString() })).join("\n") + "\n");
    const t = io();
    expect(await runReportCommand(["--feedback", file, "--since", "7d"], t.io)).toBe(0);
    expect(t.out.join("\n")).toMatch(/- too_loud: 3/); // every entry is recent here
  });
  it("refuses a bad --since or --format with a usage error", async () => {
    await expect(runReportCommand(["--since", "soon"], io().io)).rejects.toThrow(/--since/);
    await expect(runReportCommand(["--format", "pdf"], io().io)).rejects.toThrow(/--format/);
  });
});
