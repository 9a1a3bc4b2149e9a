/// <reference lib="dom" />
// The take loop as an editor walks it in the panel, 320×640 (the manifest's default width): Score Markers →
// Listen to take 1 (Source Monitor) → New take (the bin and the list, no new track) → Use take 2 (swapped in
// place, one undo step) → 3 takes at once → lengthen the marker → Extend; a clip bed with editable keyframes.
// Browser harness on FakeHost, a real helper with the tiny contract model, Debian's Chromium. Screenshots go to
// test-artifacts/browser/take-*.png.
//
// HELPER TAKE LOOP: the second part needs the helper's `variations`, `extend` and `levels: "keyframes"`. It runs
// once shared/protocol exports MAX_VARIATIONS (the helper side of the take loop), or with CUESMITH_TAKE_LOOP=1;
// then a helper that refuses one of them fails the test with the field it refused.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningHelper } from "../../helper/server/app";
import { secondsToTicks } from "../../shared/time";
import { describeBrowser, launchChromium, SHOTS, speakVoiceOver } from "../helpers/browser";
import { startTestHelper } from "../helpers/daemon";

const t = (s: number) => secondsToTicks(s).toString();

interface Clip {
  mediaPath: string;
  startTicks: string;
  endTicks: string;
  volume: { timeVarying: boolean; keyframes: { levelDb: number }[] };
}
type Harness = {
  cuesmith: {
    host: {
      edits: { label: string; placements: unknown[]; changes: string[] }[];
      audioTrackItems(i: number): Clip[];
      getActiveSequence(): Promise<{ audioTrackCount: number }>;
      moveMarker(id: string, change: object): void;
      sourceMonitor: { opened: string | null; playing: boolean } | null;
    };
  };
};
const harness = <T>(page: Page, fn: (h: Harness["cuesmith"]["host"]) => T | Promise<T>) =>
  page.evaluate(`(${fn.toString()})(window.cuesmith.host)`) as Promise<T>;

/** Waits until the row has `n` takes, or fails with the message shown next to them (what the helper refused). */
async function takesReach(page: Page, n: number, what: string): Promise<void> {
  const row = page.locator('[data-testid="marker-row"]').first();
  await page.waitForFunction(
    (n) => {
      const r = document.querySelector('[data-testid="marker-row"]');
      return (
        (r?.querySelectorAll('[data-testid="take"]').length ?? 0) >= n ||
        Boolean(r?.querySelector('[data-testid="take-message"]')?.textContent?.match(/field|not know|unknown/))
      );
    },
    n,
    { timeout: 90000 },
  );
  const count = await row.locator('[data-testid="take"]').count();
  if (count < n) {
    const message = await row.locator('[data-testid="take-message"]').textContent();
    throw new Error(`${what}: the helper refused it — ${message}`);
  }
}

describeBrowser("the take loop browser test")("the take loop in the panel (harness, 320×640)", () => {
  let helper: RunningHelper;
  let browser: Browser;
  let page: Page;
  let voiceOver: string | undefined;
  let firstTake = "";
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `take-${name}.png`) });
  // the fake timeline (and Source Monitor) sits under the 320 px panel: its own picture
  const shotTimeline = (name: string) =>
    page.locator('[data-testid="timeline"]').screenshot({ path: path.join(SHOTS, `take-${name}-timeline.png`) });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    helper = await startTestHelper();
    voiceOver = speakVoiceOver("This new feature is really great.");
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(`${helper.url}/ui/${voiceOver ? `?vo=${encodeURIComponent(voiceOver)}` : ""}`);
    await page.waitForSelector('[data-testid="status"][data-state="online"]', { timeout: 30000 });
  });
  afterAll(async () => {
    await browser?.close();
    await helper?.close();
  });

  it("scores one marker, plays take 1 in the Source Monitor, and a new take stays in the bin", async () => {
    await page.waitForSelector('[data-testid="marker-row"]');
    const boxes = page.locator('[data-testid="marker-row"] input[type="checkbox"]');
    for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).setChecked(false);
    await page.click('[data-testid="score-markers"]');
    await page.waitForSelector('[data-testid="marker-row"][data-status="placed"]', { timeout: 60000 });
    await takesReach(page, 1, "Score Markers");
    await shot("01-scored");

    const row = page.locator('[data-testid="marker-row"]').first();
    await row.locator('[data-testid="take-listen"]').first().click();
    await page.waitForSelector('[data-testid="source-monitor"]');
    const monitor = await harness(page, (h) => h.sourceMonitor);
    expect(monitor?.playing).toBe(true);
    firstTake = monitor!.opened!;
    expect(fs.existsSync(firstTake)).toBe(true);
    await shot("02-listen");
    await shotTimeline("02-listen");

    const tracks = (await harness(page, (h) => h.getActiveSequence())).audioTrackCount;
    const edits = (await harness(page, (h) => h.edits)).length;
    await row.locator('[data-testid="new-take"]').click();
    await takesReach(page, 2, "New take");
    expect((await harness(page, (h) => h.getActiveSequence())).audioTrackCount).toBe(tracks);
    expect((await harness(page, (h) => h.edits)).length).toBe(edits); // nothing placed, no track used
    const onA2 = await harness(page, (h) => h.audioTrackItems(1));
    expect(onA2.filter((c) => c.startTicks === t(2)).map((c) => c.mediaPath)).toEqual([firstTake]);
    await shot("03-new-take");
  });

  it("Use this take swaps take 2 in place: same track, same in and out, one undo step", async () => {
    const row = page.locator('[data-testid="marker-row"]').first();
    const before = (await harness(page, (h) => h.audioTrackItems(1))).find((c) => c.startTicks === t(2))!;
    const editsBefore = (await harness(page, (h) => h.edits)).length;
    await row.locator('[data-testid="take-use"]').first().click();
    await page.waitForFunction((n) => (window as unknown as Harness).cuesmith.host.edits.length > n, editsBefore);
    const edits = await harness(page, (h) => h.edits);
    // the swap is one undo step (remove + overwrite in one transaction); editable levels, when the take has them,
    // follow as a step of their own (the new clip's component chain can only be read once it is placed)
    const added = edits.slice(editsBefore);
    expect(added[0].label).toBe("Cuesmith: use take of #unboxing");
    expect(added[0].changes).toHaveLength(2);
    expect(added.slice(1).map((e) => e.label)).toEqual(added.length > 1 ? ["Cuesmith: levels of #unboxing"] : []);
    const after = (await harness(page, (h) => h.audioTrackItems(1))).filter((c) => c.startTicks === t(2));
    expect(after).toHaveLength(1);
    expect(after[0].mediaPath).not.toBe(firstTake);
    expect([after[0].startTicks, after[0].endTicks]).toEqual([before.startTicks, before.endTicks]);
    // the row's state (and its Feedback) names the take on the timeline now
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="marker-row"]')?.textContent?.includes("take 2"),
    );
    await shot("04-use-take-2");
    await shotTimeline("04-use-take-2");
  });

  it("asks for 3 takes at once, then extends the placed take when the marker grows", async () => {
    const row = page.locator('[data-testid="marker-row"]').first();
    await row.locator('[data-testid="take-variations"]').selectOption("3");
    await row.locator('[data-testid="new-take"]').click();
    await takesReach(page, 5, "New take with variations: 3");
    await shot("05-three-takes");

    await harness(page, (h) => h.moveMarker("#unboxing", { duration: { seconds: 3.5 } }));
    await row.locator('[data-testid="take-extend"]').waitFor({ timeout: 10000 });
    const editsBefore = (await harness(page, (h) => h.edits)).length;
    await row.locator('[data-testid="take-extend"]').click();
    await page.waitForFunction(
      (n) =>
        (window as unknown as Harness).cuesmith.host.edits.length > n ||
        Boolean(document.querySelector('[data-testid="take-message"]')?.textContent?.match(/field|unknown|not/)),
      editsBefore,
      { timeout: 90000 },
    );
    const edits = await harness(page, (h) => h.edits);
    if (edits.length === editsBefore)
      throw new Error(
        `Extend: the helper refused it — ${await row.locator('[data-testid="take-message"]').textContent()}`,
      );
    expect(edits[editsBefore].label).toBe("Cuesmith: extend #unboxing");
    const clip = (await harness(page, (h) => h.audioTrackItems(1))).filter((c) => c.startTicks === t(2));
    expect(clip.map((c) => c.endTicks)).toEqual([t(5.5)]);
    await shot("06-extended");
    await shotTimeline("06-extended");
  });

  it("a clip bed lands with its level (and dip) as editable keyframes", async () => {
    await page.click('[data-testid="tab-clip"]');
    await page.locator('[data-testid="timeline-clip"]', { hasText: "Voice-over" }).click();
    await page.waitForSelector('[data-testid="clip-row"]');
    if (!voiceOver) await page.fill('[data-testid="clip-prompt"]', "warm piano, soft strings");
    await page.click('[data-testid="generate-bed"]');
    await page.waitForSelector(
      '[data-testid="clip-row"][data-status="placed"], [data-testid="clip-row"][data-status="failed"]',
      {
        timeout: 90000,
      },
    );
    const failed = await page.locator('[data-testid="clip-row"][data-status="failed"]').count();
    if (failed)
      throw new Error(`clip bed with levels: "keyframes": ${await page.textContent('[data-testid="row-error"]')}`);
    await page.waitForSelector('[data-testid="clip-volume"]', { timeout: 5000 }).catch(() => undefined);
    const beds = await harness(page, (h) => [1, 2, 3].flatMap((i) => h.audioTrackItems(i)));
    const bed = beds.find((c) => c.startTicks === t(0) && c.volume.timeVarying);
    if (!bed)
      throw new Error(
        'the bed has no Volume keyframes: the helper did not answer levels: "keyframes" (it refused the field and the bed came back baked)',
      );
    expect(bed.volume.keyframes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...bed.volume.keyframes.map((k) => k.levelDb))).toBeLessThan(0); // the bed level, e.g. -12 dB
    await shot("07-clip-bed-keyframes");
    await shotTimeline("07-clip-bed-keyframes");
    if (!voiceOver) return; // a typed-prompt bed has no voice to dip under (and no Set dip)

    // the editor tunes the dip under the voice: 8 dB -> 14 dB, the same clip's keyframes rewritten
    const row = page.locator('[data-testid="clip-row"]');
    const deepest = (c: typeof bed) => Math.min(...c.volume.keyframes.map((k) => k.levelDb));
    const before = deepest(bed);
    await row.locator('[data-testid="row-dip"]').fill("14");
    await row.locator('[data-testid="row-dip-set"]').click();
    await row.locator('[data-testid="take-message"]').waitFor({ timeout: 30000 });
    const message = await row.locator('[data-testid="take-message"]').textContent();
    expect(message).toMatch(/Dips 14 dB under the voice now/);
    const after = (await harness(page, (h) => [1, 2, 3].flatMap((i) => h.audioTrackItems(i)))).find(
      (c) => c.startTicks === t(0) && c.volume.timeVarying,
    )!;
    expect(after.mediaPath).toBe(bed.mediaPath);
    expect(deepest(after)).toBeCloseTo(before - 6, 1);
    await shot("08-clip-bed-dip");
  });
});
