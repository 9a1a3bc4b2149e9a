import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runReportCommand } from "../../helper/cli/report-command";
import { buildReport, instrumentsWanted, parseSince, renderReport, Report } from "../../helper/report";
import type { FeedbackRecord } from "../../helper/store/feedback-log";

const now = new Date("2026-11-24T12:00:00Z");
const sha = (c: string) => c.repeat(64);
let n = 0;
const fb = (over: Partial<FeedbackRecord>): FeedbackRecord => ({
  id: `id-${n++}`,
  time: "2026-11-23T10:00:00Z",
  reason: "too_loud",
  note: "",
  prompt: "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident",
  tag: "unboxing",
  seed: 1,
  model: "musicgen-small",
  sha256: sha("a"),
  ...over,
});

const UNBOXING = "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident";
const TUTORIAL = "calm strings, soft pad";
const entries: FeedbackRecord[] = [
  fb({ note: "drowns the voice" }),
  fb({ note: "drowns the voice" }), // the same take, the same reason: one complaint
  fb({ note: "way too loud" }), // again the same take and reason, another note
  fb({ reason: "tempo_slow", bpm_estimate: 96 }), // the same take, another reason: counts
  fb({ sha256: sha("b"), time: "2026-11-22T09:00:00Z" }),
  fb({ sha256: sha("b"), reason: "tempo_slow", bpm_estimate: 100 }),
  fb({
    reason: "wrong_instrument",
    prompt: TUTORIAL,
    tag: "tutorial",
    sha256: sha("c"),
    note: "wanted a piano, not violins",
  }),
  fb({ reason: "wrong_instrument", prompt: TUTORIAL, tag: "tutorial", sha256: sha("d"), note: "needs piano" }),
  fb({
    reason: "style_mismatch",
    prompt: "epic dark cinematic trailer",
    tag: undefined,
    sha256: sha("e"),
    note: "too dramatic for a cooking video",
  }),
  fb({ time: "2026-10-01T00:00:00Z", sha256: sha("f") }), // outside the window
  fb({ time: "2026-11-24T12:00:01Z", sha256: sha("9") }), // after `now`
];

describe("buildReport", () => {
  const report = buildReport(entries, { since: parseSince("7d", now), now });

  it("counts within the window, each take once per reason", () => {
    expect(report.since).toBe("2026-11-17T12:00:00.000Z");
    expect(report.until).toBe(now.toISOString());
    expect(report.totals).toEqual({
      entries: 9,
      distinct: 7,
      duplicates: 2,
      takes: 5,
      prompts: 3,
      tags: 2,
      untagged: 1,
      keeps: 0,
      complaints: 7,
    });
    expect(report.byReason).toEqual({
      too_loud: 2,
      tempo_slow: 2,
      tempo_fast: 0,
      wrong_instrument: 2,
      style_mismatch: 1,
      other: 0,
      good_fit: 0,
    });
    expect(report.byTag).toEqual([
      {
        tag: "unboxing",
        count: 4,
        complaints: 4,
        keeps: 0,
        takes: 2,
        byReason: {
          too_loud: 2,
          tempo_slow: 2,
          tempo_fast: 0,
          wrong_instrument: 0,
          style_mismatch: 0,
          other: 0,
          good_fit: 0,
        },
      },
      {
        tag: "tutorial",
        count: 2,
        complaints: 2,
        keeps: 0,
        takes: 2,
        byReason: {
          too_loud: 0,
          tempo_slow: 0,
          tempo_fast: 0,
          wrong_instrument: 2,
          style_mismatch: 0,
          other: 0,
          good_fit: 0,
        },
      },
    ]);
  });

  it("ranks the worst prompts with their reason breakdown and notes (repeats' notes kept)", () => {
    expect(report.prompts.map((p) => [p.prompt, p.count, p.takes])).toEqual([
      [UNBOXING, 4, 2],
      [TUTORIAL, 2, 2],
      ["epic dark cinematic trailer", 1, 1],
    ]);
    expect(report.worstPrompts[0]).toMatchObject({
      tag: "unboxing",
      tags: ["unboxing"],
      byReason: { too_loud: 2, tempo_slow: 2 },
      notes: ["drowns the voice", "way too loud"],
    });
    expect(buildReport(entries, { since: parseSince("7d", now), now, top: 1 }).worstPrompts).toHaveLength(1);
  });

  it("filters by since: a shorter window sees fewer entries", () => {
    const day = buildReport(entries, { since: parseSince("48h", now), now });
    expect(day.totals.entries).toBe(8); // not the one from the 22nd, the 1st of October or after now
    expect(day.byReason.too_loud).toBe(1);
    const all = buildReport(entries, { since: new Date("2026-01-01T00:00:00Z"), now });
    expect(all.totals.entries).toBe(10);
    expect(buildReport([], { since: parseSince("7d", now), now }).totals).toEqual({
      entries: 0,
      distinct: 0,
      duplicates: 0,
      takes: 0,
      prompts: 0,
      tags: 0,
      untagged: 0,
      keeps: 0,
      complaints: 0,
    });
  });

  it("counts keeps (good_fit) and complaints per tag and per prompt; a keep is never a complaint or a suggestion", () => {
    const kept = buildReport(
      [
        ...entries,
        fb({ reason: "good_fit", sha256: sha("7") }),
        fb({ reason: "good_fit", sha256: sha("7") }), // the same take kept twice: one keep
        fb({ reason: "good_fit", sha256: sha("8") }),
        fb({ reason: "good_fit", prompt: TUTORIAL, tag: "tutorial", sha256: sha("6") }),
        fb({ reason: "good_fit", prompt: "free prompt", tag: undefined, sha256: sha("5") }),
      ],
      { since: parseSince("7d", now), now, minCount: 1 },
    );
    expect(kept.totals).toMatchObject({ keeps: 4, complaints: 7, untagged: 1 });
    expect(kept.byTag.map((t) => [t.tag, t.keeps, t.complaints, t.count])).toEqual([
      ["unboxing", 2, 4, 4],
      ["tutorial", 1, 2, 2],
    ]);
    const row = (prompt: string) => kept.prompts.find((p) => p.prompt === prompt)!;
    expect([row(UNBOXING).keeps, row(UNBOXING).complaints, row(UNBOXING).takes]).toEqual([2, 4, 4]);
    expect([row("free prompt").keeps, row("free prompt").complaints]).toEqual([1, 0]);
    expect(kept.suggestions.some((s) => s.reason === "good_fit" || s.subject === "free prompt")).toBe(false);
    const md = renderReport(kept, "md");
    expect(md).toContain("| #unboxing | 2 | 4 | 4 |");
    expect(md).toMatch(/## By prompt\n\n\| prompt \| keeps \| complaints \| takes \|/);
    expect(md).toContain("4 kept and 7 complaints");
    expect(renderReport(kept, "html")).toContain("<h2>By prompt</h2>");
    expect(JSON.parse(renderReport(kept, "json")).byTag[0]).toMatchObject({ keeps: 2, complaints: 4 });
  });

  it("suggests a concrete change per tag and reason reported at least minCount times", () => {
    const by = (tag: string, reason: string) => report.suggestions.find((s) => s.tag === tag && s.reason === reason);
    const loud = by("unboxing", "too_loud")!;
    expect(loud).toMatchObject({ subject: "#unboxing", count: 2, share: 0.5, prompt: UNBOXING });
    expect(loud.suggestion).toMatch(/#unboxing/);
    expect(loud.change).toMatch(/lower the bed level for #unboxing or add "soft", "gentle"/);
    expect(loud.suggestion).toContain('"drowns the voice"');

    const slow = by("unboxing", "tempo_slow")!;
    expect(slow.change).toMatch(/add "upbeat, 120 bpm" to #unboxing's prompt/);
    expect(slow.suggestion).toMatch(/measured ≈ 98 bpm/);

    const instrument = by("tutorial", "wrong_instrument")!;
    expect(instrument.suggestion).toMatch(/#tutorial/);
    expect(instrument.change).toMatch(/name "piano" explicitly as a noun in #tutorial's prompt \(e.g. "solo piano"\)/);
    expect(instrument.suggestion).toContain('"wanted a piano, not violins"');

    // a single complaint is not a pattern yet
    expect(report.suggestions.find((s) => s.reason === "style_mismatch")).toBeUndefined();
    const lenient = buildReport(entries, { since: parseSince("7d", now), now, minCount: 1 });
    const style = lenient.suggestions.find((s) => s.reason === "style_mismatch")!;
    expect(style.subject).toBe("epic dark cinematic trailer");
    expect(style.change).toMatch(/add a use-context phrase like "video background under narration"/);
    // most complaints first
    expect(lenient.suggestions.map((s) => s.count)).toEqual(
      [...lenient.suggestions.map((s) => s.count)].sort((a, b) => b - a),
    );
  });

  it("follows the article's prompt rules for each reason", () => {
    const two = (over: Partial<FeedbackRecord>) => [
      fb({ ...over, sha256: sha("1") }),
      fb({ ...over, sha256: sha("2") }),
    ];
    const advice = (over: Partial<FeedbackRecord>) =>
      buildReport(two(over), { since: parseSince("7d", now), now }).suggestions[0];

    expect(advice({ reason: "tempo_fast", tag: "tutorial", prompt: "energetic synth, driving drums" }).change).toBe(
      'add "slow tempo, 80 bpm" to #tutorial\'s prompt and drop "energetic", "driving"',
    );
    expect(advice({ reason: "tempo_slow", tag: "vlog", prompt: "acoustic guitar, 90 bpm" }).change).toBe(
      'replace "90 bpm" with "upbeat, 120 bpm" in #vlog\'s prompt',
    );
    expect(advice({ reason: "too_loud", tag: "tutorial", prompt: "gentle piano, epic drums" }).change).toBe(
      'lower the bed level for #tutorial by 3–6 dB and drop "epic"',
    );
    const style = advice({
      reason: "style_mismatch",
      tag: "unboxing",
      prompt: "upbeat modern confident cheerful synth",
    }).change;
    expect(style).toMatch(/keep at most two mood adjectives \(it has 4: "upbeat", "modern", "confident", "cheerful"\)/);
    expect(style).toMatch(/add a use-context phrase like "product demo background"/);
    expect(
      advice({ reason: "wrong_instrument", tag: "intro", prompt: "violin and cello", note: "no violins please" })
        .change,
    ).toMatch(/name the instrument explicitly with a noun .* and remove "violin"/);
    expect(
      advice({
        reason: "wrong_instrument",
        tag: "tutorial",
        prompt: "gentle piano, soft strings, no vocals",
        note: "needs a ukulele",
      }).suggestion,
    ).toMatch(/it now names "piano", "strings"\): name "ukulele" explicitly as a noun/);
    expect(advice({ reason: "other", note: "weird glitch at the end" }).suggestion).toContain(
      '"weird glitch at the end"',
    );
  });

  it("reads wanted and unwanted instruments from notes", () => {
    expect(instrumentsWanted(["wanted a piano, not violins", "less drums, more acoustic guitar"])).toEqual({
      wanted: ["piano", "acoustic guitar"],
      unwanted: ["violin", "drums"],
    });
  });

  it("refuses an invalid since", () => {
    expect(() => buildReport(entries, { since: new Date("nope") })).toThrow(RangeError);
  });
});

describe("renderReport", () => {
  const report = buildReport(entries, { since: parseSince("7d", now), now });

  it("renders Markdown with every section", () => {
    const md = renderReport(report, "md");
    expect(md).toMatch(/^# Cuesmith feedback report\n/);
    expect(md).toContain("9 feedback entries, 7 distinct");
    expect(md).toMatch(/## By reason\n\n- too_loud: 2\n- tempo_slow: 2\n- wrong_instrument: 2\n- style_mismatch: 1\n/);
    expect(md).toContain("| #unboxing | 0 | 4 | 2 | too_loud 2, tempo_slow 2 |");
    expect(md).toContain(`1. "${UNBOXING}" (#unboxing) — 4 complaints on 2 takes: too_loud 2, tempo_slow 2`);
    expect(md).toMatch(/## Suggestions for the preset table\n\n- \*\*#tutorial\*\* — wrong_instrument ×2: /); // same count: the larger share first
    expect(md).toMatch(/\n- \*\*#unboxing\*\* — too_loud ×2: #unboxing sits too loud/);
    const empty = renderReport(buildReport([], { since: parseSince("7d", now), now }), "md");
    expect(empty).toContain("no feedback in this window");
    expect(empty).toContain("nothing to change");
  });

  it("renders a self-contained HTML page with everything escaped", () => {
    const evil = buildReport(
      [
        fb({ prompt: "<script>alert(1)</script>", note: '"><img src=x onerror=alert(2)>', sha256: sha("1") }),
        fb({ prompt: "<script>alert(1)</script>", sha256: sha("2") }),
      ],
      { since: parseSince("7d", now), now },
    );
    const html = renderReport(evil, "html");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//); // nothing loaded from elsewhere
    expect(html).toContain("</html>");
    expect(renderReport(evil, "md")).not.toContain("<script>");
  });

  it("renders JSON that round-trips to the report", () => {
    const json = JSON.parse(renderReport(report, "json")) as Report;
    expect(json).toEqual(report);
    expect(json.totals.distinct).toBe(7);
  });

  it("renders all three formats for the same report", () => {
    for (const format of ["md", "html", "json"] as const)
      expect(renderReport(report, format).length).toBeGreaterThan(100);
    expect(() => renderReport(report, "pdf" as never)).toThrow(/format/);
  });
});

describe("parseSince", () => {
  it("reads days, hours, minutes and ISO dates", () => {
    expect(parseSince("7d", now).toISOString()).toBe("2026-11-17T12:00:00.000Z");
    expect(parseSince("24h", now).toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(parseSince("30m", now).toISOString()).toBe("2026-11-24T11:30:00.000Z");
    expect(parseSince(" 2D ", now).toISOString()).toBe("2026-11-22T12:00:00.000Z");
    expect(parseSince("2026-11-01", now).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseSince("2026-11-01T09:30:00Z", now).toISOString()).toBe("2026-11-01T09:30:00.000Z");
    expect(parseSince("2026-11-01T09:30+02:00", now).toISOString()).toBe("2026-11-01T07:30:00.000Z");
  });

  it("refuses anything else with a clear error", () => {
    for (const bad of [
      "last week",
      "",
      "7",
      "7w",
      "-7d",
      "1.5d",
      "2026-02-31",
      "2026-13-01",
      "11/01/2026",
      "2026-11-01T25:00Z",
    ]) {
      expect(() => parseSince(bad, now)).toThrow(RangeError);
    }
    expect(() => parseSince("soon", now)).toThrow(
      /--since: "soon" is not a duration or a date; use 7d, 24h, 30m or a date/,
    );
    expect(() => parseSince("2026-12-01", now)).toThrow(/in the future/);
  });
});

describe("cuesmith report", () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
  };
  const feedbackFile = (records: FeedbackRecord[], tail = "") => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-report-")), "feedback.jsonl");
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    fs.writeFileSync(file, records.map((e) => JSON.stringify({ ...e, time: recent })).join("\n") + "\n" + tail);
    return file;
  };
  const inWindow = entries.slice(0, 9);

  it("prints the Markdown report from a feedback file", async () => {
    const file = feedbackFile(inWindow);
    const t = capture();
    expect(await runReportCommand(["--feedback", file, "--since", "7d"], t.io)).toBe(0);
    const md = t.out.join("\n");
    expect(md).toMatch(/^# Cuesmith feedback report/);
    expect(md).toContain("- too_loud: 2");
    expect(md).toContain("#unboxing");
    expect(md).toContain('add "upbeat, 120 bpm"');
    expect(t.err).toEqual([]);
  });

  it("prints HTML and JSON, honours --min-count, and reports a torn line on stderr", async () => {
    const file = feedbackFile(inWindow, '{"id":"torn');
    const html = capture();
    expect(await runReportCommand(["--feedback", file, "--format", "html"], html.io)).toBe(0);
    expect(html.out.join("\n")).toMatch(/^<!doctype html>/);
    expect(html.err).toEqual([expect.stringMatching(/incomplete last line/)]);
    const json = capture();
    expect(
      await runReportCommand(
        ["--feedback", file, "--format", "json", "--min-count", "1", "--since", "2026-01-01"],
        json.io,
      ),
    ).toBe(0);
    const report = JSON.parse(json.out.join("\n")) as Report;
    expect(report.minCount).toBe(1);
    expect(report.totals.distinct).toBe(7);
    expect(report.suggestions.some((s) => s.reason === "style_mismatch")).toBe(true);
  });

  it("reads <CUESMITH_HOME>/feedback.jsonl by default, and says so when there is none yet", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-home-"));
    const saved = process.env.CUESMITH_HOME;
    process.env.CUESMITH_HOME = home;
    try {
      const empty = capture();
      expect(await runReportCommand([], empty.io)).toBe(0);
      expect(empty.err).toEqual([expect.stringMatching(/no feedback recorded yet/)]);
      expect(empty.out.join("\n")).toContain("no feedback in this window");
      fs.copyFileSync(feedbackFile(inWindow), path.join(home, "feedback.jsonl"));
      const full = capture();
      expect(await runReportCommand(["--format", "json"], full.io)).toBe(0);
      expect(JSON.parse(full.out.join("\n")).totals.entries).toBe(9);
    } finally {
      if (saved === undefined) delete process.env.CUESMITH_HOME;
      else process.env.CUESMITH_HOME = saved;
    }
  });

  it.each([
    [["--since", "soon"], /--since/],
    [["--format", "pdf"], /--format must be md, html or json/],
    [["--min-count", "0"], /--min-count/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["extra"], /positional/i],
    [["--since"], /--since/],
    [["--feedback", "/definitely/not/here.jsonl"], /no such file/],
  ])("returns 2 with one line for bad arguments: %j", async (argv, why) => {
    const t = capture();
    expect(await runReportCommand(argv as string[], t.io)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err).toHaveLength(1);
    expect(t.err[0]).not.toContain("\n");
    expect(t.err[0]).toMatch(why);
  });

  it("prints its usage for --help", async () => {
    const t = capture();
    expect(await runReportCommand(["--help"], t.io)).toBe(0);
    expect(t.out[0]).toMatch(/^cuesmith report \[--since/);
  });
});
