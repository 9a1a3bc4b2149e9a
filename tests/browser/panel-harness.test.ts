/// <reference lib="dom" />
// The panel as a person sees it: the browser harness (the real React panel on FakeHost), served by a real helper
// with the tiny contract model, driven in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
// Screenshots go to test-artifacts/browser/.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningHelper } from "../../helper/server/app";
import { secondsToTicks } from "../../shared/time";
import { describeBrowser, launchChromium, SHOTS, speakVoiceOver, VOICE_TOOLS } from "../helpers/browser";
import { startTestHelper } from "../helpers/daemon";

const t = (s: number) => secondsToTicks(s).toString();

interface Placement {
  startTicks: string;
  endTicks: string;
  audioTrackIndex: number;
  mediaPath: string;
}
const placementsIn = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { cuesmith: { host: { edits: { placements: Placement[] }[] } } }).cuesmith.host.edits
      .filter((e) => e.placements.length > 0)
      .map((e) =>
        e.placements.map((p) => ({
          startTicks: p.startTicks,
          endTicks: p.endTicks,
          audioTrackIndex: p.audioTrackIndex,
          mediaPath: p.mediaPath,
        })),
      ),
  );

describeBrowser("the browser harness test")("the panel in a browser (harness)", () => {
  let helper: RunningHelper;
  let browser: Browser;
  let page: Page;
  let voiceOver: string | undefined;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    helper = await startTestHelper();
    voiceOver = speakVoiceOver(
      `<speak>${'This new feature is really great! <break time="900ms"/> We spent three months on the details.'}</speak>`,
      true,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${helper.url}/ui/${voiceOver ? `?vo=${encodeURIComponent(voiceOver)}` : ""}`);
    await page.waitForSelector('[data-testid="status"][data-state="online"]', { timeout: 30000 });
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await helper?.close();
  });

  it("lists the tagged markers, scores them, and places five beds at the markers in one undo step", async () => {
    await page.waitForSelector('[data-testid="marker-row"]');
    expect(await page.locator('[data-testid="marker-row"]').count()).toBe(5);
    // the editor shortens the zero-length #tutorial marker (6 s → next marker at 9 s) to 2.5 s
    await page.locator('[data-testid="marker-seconds"]').nth(1).fill("2.5");
    await shot("01-markers");

    await page.click('[data-testid="score-markers"]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="marker-row"][data-status="placed"]').length === 5,
      null,
      { timeout: 60000 },
    );
    await page.waitForFunction(() => document.querySelectorAll(".clip.bed").length === 5); // the fake timeline redraws
    await shot("02-placed");

    const edits = await placementsIn(page);
    expect(edits).toHaveLength(1); // one undo step
    expect(edits[0].map((p) => [p.startTicks, p.audioTrackIndex])).toEqual([
      [t(2), 1],
      [t(6), 1],
      [t(9), 1],
      [t(12), 1],
      [t(30.4), 2], // Music (A2) holds a sting there: the bed goes to Beds (A3); Dialogue (A1) is never used
    ]);
    expect(edits[0][1].endTicks).toBe(t(8.5));
    for (const p of edits[0]) expect(fs.existsSync(p.mediaPath)).toBe(true);
    expect(await page.textContent('[data-testid="markers-note"]')).toMatch(/5 beds placed in one undo step/);
  });

  it("keeps the take history: a new take goes to the bin and the list, never onto another track", async () => {
    const row = page.locator('[data-testid="marker-row"]').first();
    await row.locator('[data-testid="new-take"]').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="marker-row"]')?.querySelectorAll('[data-testid="take"]').length === 2,
      null,
      { timeout: 60000 },
    );
    const edits = await placementsIn(page);
    expect(edits).toHaveLength(1); // nothing new on the timeline: the first take is still the one placed
  });

  it("sends feedback on a placed take and confirms only after the helper stored it", async () => {
    await page.locator('[data-testid="feedback"]').first().click();
    await page.selectOption('[data-testid="feedback-reason"]', "tempo_slow");
    await page.fill('[data-testid="feedback-note"]', "drags under the unboxing shot");
    await page.click('[data-testid="feedback-send"]');
    await page.waitForSelector('[data-testid="feedback-saved"]');
    await shot("03-feedback");
    const report = await (await fetch(`${helper.url}/report?since=1d`)).json();
    expect(JSON.stringify(report)).toContain("tempo_slow");
  });

  (VOICE_TOOLS ? it : it.skip)(
    "generates a bed under the selected voice-over clip, on a free track, to the clip's length",
    async () => {
      await page.click('[data-testid="tab-clip"]');
      await page.locator('[data-testid="timeline-clip"]', { hasText: "Voice-over" }).click();
      await page.waitForSelector('[data-testid="clip-row"]');
      // a linked clip: its video and audio items are both selected, and the panel lists (and beds) it once
      const selected = await page.evaluate(() =>
        (
          window as unknown as { cuesmith: { host: { getSelectedClips(): Promise<{ trackType: string }[]> } } }
        ).cuesmith.host.getSelectedClips(),
      );
      expect(selected.map((c) => c.trackType).sort()).toEqual(["audio", "video"]);
      expect(await page.locator('[data-testid="clip-row"]').count()).toBe(1);
      // first what the helper hears: the article's line typed as the transcript
      await page.fill(
        '[data-testid="clip-transcript"]',
        "这个新功能真的太棒了！我们花了三个月打磨细节……当然，还有些小问题正在修复。",
      );
      await page.click('[data-testid="analyse"]');
      await page.waitForSelector('[data-testid="analysis"]');
      expect(await page.textContent('[data-testid="analysis"]')).toMatch(
        /enthusiastic, slightly apologetic.*warm piano and subtle cello/,
      );
      await shot("04a-analysis");
      await page.click('[data-testid="generate-bed"]');
      await page.waitForSelector('[data-testid="clip-row"][data-status="placed"]', { timeout: 60000 });
      await page.waitForFunction(() => document.querySelectorAll(".clip.bed").length === 6); // 5 beds + this one
      await shot("04-clip-bed");
      const edits = await placementsIn(page);
      const last = edits[edits.length - 1];
      expect(last).toHaveLength(1);
      expect(last[0].startTicks).toBe(t(0));
      expect(last[0].endTicks).toBe(t(6));
      expect(last[0].audioTrackIndex).not.toBe(0); // never on the dialogue track
      expect(await page.textContent('[data-testid="clip-note"]')).toMatch(/Prompt: .*no vocals/);
    },
  );

  it("shows the presets table and the settings", async () => {
    await page.click('[data-testid="tab-presets"]');
    await page.waitForSelector('[data-testid="preset-row"]');
    expect(await page.locator('[data-testid="preset-row"]').count()).toBeGreaterThan(5);
    await shot("05-presets");
    await page.click('[data-testid="tab-settings"]');
    await page.fill('[data-testid="setting-loudnessLufs"]', "-50");
    expect(await page.isDisabled('[data-testid="settings-save"]')).toBe(true); // out of range: refused next to the field
    await page.fill('[data-testid="setting-loudnessLufs"]', "-16");
    await page.click('[data-testid="settings-save"]');
    await shot("06-settings");
  });

  it("runs Check Premiere from Settings: a pass line per host call, with the versions, copyable, nothing left behind", async () => {
    await page.click('[data-testid="tab-settings"]');
    const before = await page.evaluate(() => {
      const h = (window as unknown as { cuesmith: { host: { binNames(): string[]; sequenceNames(): string[] } } })
        .cuesmith.host;
      return { bins: h.binNames(), sequences: h.sequenceNames() };
    });
    await page.click('[data-testid="check-run"]');
    await page.waitForSelector('[data-testid="check-summary"]', { timeout: 30000 });
    expect(await page.textContent('[data-testid="check-summary"]')).toMatch(/All calls passed/);
    const lines = await page.locator('[data-testid="check-line"]').allTextContents();
    expect(lines.length).toBeGreaterThanOrEqual(14);
    expect(lines.every((l) => l.startsWith("PASS"))).toBe(true);
    expect(await page.inputValue('[data-testid="check-text"]')).toMatch(
      /^Cuesmith Premiere check: all passed\nPASS {2}Versions: Premiere 25\.6\.0 \(fake, browser harness\) · UXP/,
    );
    const after = await page.evaluate(() => {
      const h = (window as unknown as { cuesmith: { host: { binNames(): string[]; sequenceNames(): string[] } } })
        .cuesmith.host;
      return { bins: h.binNames(), sequences: h.sequenceNames() };
    });
    expect(after).toEqual(before);
    await page.locator('[data-testid="check-premiere"]').scrollIntoViewIfNeeded();
    await shot("08-check-premiere");
  });

  it("follows a marker the editor moves in Premiere, and scores it where it is now", async () => {
    await page.click('[data-testid="tab-markers"]');
    const row = page.locator('[data-testid="marker-row"]', { hasText: "#unboxing" });
    expect(await row.locator(".row-time").textContent()).toBe("00:00:02:00");
    // the editor drags #unboxing to 20 s and shortens it to 2 s (Premiere fires ProjectEvent.DIRTY, no marker event)
    await page.evaluate(() =>
      (
        window as unknown as { cuesmith: { host: { moveMarker(id: string, c: object): void } } }
      ).cuesmith.host.moveMarker("#unboxing", {
        start: { seconds: 20 },
        duration: { seconds: 2 },
      }),
    );
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-testid="marker-row"]')).some(
        (r) => r.textContent?.includes("#unboxing") && r.querySelector(".row-time")?.textContent === "00:00:20:00",
      ),
    );
    expect(await row.locator('[data-testid="marker-seconds"]').inputValue()).toBe("2");
    // the length typed for #tutorial in the first test survived the check's scratch sequence coming and going
    expect(
      await page
        .locator('[data-testid="marker-row"]', { hasText: "#tutorial" })
        .locator('[data-testid="marker-seconds"]')
        .inputValue(),
    ).toBe("2.5");
    const editsBefore = (await placementsIn(page)).length;
    // Score Markers with only #unboxing ticked: a bed at the marker as it is now (its earlier take stays at 2 s)
    const boxes = page.locator('[data-testid="marker-row"] input[type="checkbox"]');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).setChecked(false);
    await row.locator('input[type="checkbox"]').setChecked(true);
    await page.click('[data-testid="score-markers"]');
    await page.waitForFunction(
      (n) =>
        (
          window as unknown as { cuesmith: { host: { edits: { placements: unknown[] }[] } } }
        ).cuesmith.host.edits.filter((e) => e.placements.length > 0).length > n,
      editsBefore,
      { timeout: 60000 },
    );
    const edits = await placementsIn(page);
    expect(edits[edits.length - 1].map((p) => [p.startTicks, p.endTicks])).toEqual([[t(20), t(22)]]);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll(".clip.bed")).some((c) => c.getAttribute("title")?.includes("20.00–22.00")),
    );
    expect(await page.textContent('[data-testid="undo-note"]')).toMatch(/Edit > Undo takes back one click's placement/);
    await shot("09-moved-marker");
  });

  it("says so in plain words when the helper goes away", async () => {
    await page.click('[data-testid="tab-markers"]');
    await helper.close();
    await page.waitForSelector('[data-testid="status"][data-state="offline"]', { timeout: 15000 });
    expect(await page.textContent('[data-testid="status"]')).toMatch(/not reachable/);
    expect(await page.isDisabled('[data-testid="score-markers"]')).toBe(true);
    await shot("07-helper-down");
  });
});
