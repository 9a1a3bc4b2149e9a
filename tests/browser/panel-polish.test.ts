/// <reference lib="dom" />
// The panel at Premiere's default docked width (320 × 640) as an editor uses it: every tab fits, the status line
// stays one line, a bed that runs past the next marker is flagged, Enter scores and shows the run's overall
// progress, Esc cancels a new take without losing the placed one, feedback "Good fit" names its take, a team
// preset is removed only after a confirmation, and the Clip bed forgets the last clip's analysis when the
// selection changes. The real helper (tiny contract model) serves the harness; screenshots go to
// test-artifacts/browser/ (320-*.png).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningHelper } from "../../helper/server/app";
import { describeBrowser, launchChromium, SHOTS, speakVoiceOver, VOICE_TOOLS } from "../helpers/browser";
import { startTestHelper } from "../helpers/daemon";

const WIDTH = 320;
const HEIGHT = 640;

type Harness = {
  cuesmith: {
    host: {
      edits: { placements: unknown[] }[];
      setSelection(refs: { trackType: "audio" | "video"; trackIndex: number; name?: string }[]): void;
    };
  };
};
const placedEdits = (page: Page) =>
  page.evaluate(() => (window as unknown as Harness).cuesmith.host.edits.filter((e) => e.placements.length > 0).length);

describeBrowser("the 320 px panel test")("the panel at 320 px (harness)", () => {
  let helper: RunningHelper;
  let browser: Browser;
  let page: Page;
  let voiceOver: string | undefined;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `320-${name}.png`) });
  const row = (name: string) => page.locator('[data-testid="marker-row"]', { hasText: name });
  /** A click on the panel's own text: the panel has the focus, no field does. */
  const focusPanel = () => page.click('[data-testid="undo-note"]');

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    helper = await startTestHelper();
    voiceOver = speakVoiceOver("This new feature is really great.");
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${helper.url}/ui/${voiceOver ? `?vo=${encodeURIComponent(voiceOver)}` : ""}`);
    // the panel alone, at the manifest's docked width (the harness's drawn timeline needs more room)
    await page.addStyleTag({
      content: `.harness-panel { width: ${WIDTH}px; min-width: ${WIDTH}px; max-width: ${WIDTH}px; } .timeline { display: none; }`,
    });
    await page.waitForSelector('[data-testid="status"][data-state="online"]', { timeout: 30000 });
    await page.waitForSelector('[data-testid="marker-row"]');
  });
  afterAll(async () => {
    await browser?.close();
    await helper?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it("fits every tab in 320 px: nothing scrolls sideways, the status line stays one line", async () => {
    for (const tab of ["markers", "clip", "presets", "settings"]) {
      await page.click(`[data-testid="tab-${tab}"]`);
      if (tab === "presets") await page.waitForSelector('[data-testid="preset-row"]');
      const layout = await page.evaluate(() => {
        const content = document.querySelector(".content")!;
        const bar = document.querySelector('[data-testid="status"]')!;
        const text = document.querySelector('[data-testid="status-text"]')!;
        return {
          panel: document.querySelector(".panel")!.getBoundingClientRect().width,
          scrollWidth: content.scrollWidth,
          clientWidth: content.clientWidth,
          barHeight: bar.getBoundingClientRect().height,
          lineHeight: text.getBoundingClientRect().height,
          title: bar.getAttribute("title") ?? "",
        };
      });
      expect(layout.panel).toBe(320);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.lineHeight).toBeLessThan(20); // one line of 12 px text
      expect(layout.barHeight).toBeLessThan(32);
      expect(layout.title).toMatch(/^Helper connected/);
      await shot(`tab-${tab}`);
    }
    // Settings speak the editor's words: no regular expression, no "dB under target"
    await page.click('[data-testid="tab-settings"]');
    const settings = await page.textContent('[data-testid="settings-tab"]');
    expect(settings).toMatch(/Music level under dialogue:/);
    expect(settings).toMatch(/Dip under the voice:/);
    expect(settings).not.toMatch(/regular expression|under target/);
    expect(await page.inputValue('[data-testid="setting-avoidTracksPattern"]')).toBe("dialog, voice, vo, narrat");
    expect(await page.inputValue('[data-testid="setting-bedLevelDb"]')).toBe("\u221212");
    expect(await page.textContent('[data-testid="marker-rule"]')).toMatch(/#unboxing.*prompt: calm piano/s);
    await page.locator('[data-testid="setting-duckDb"]').scrollIntoViewIfNeeded();
    await shot("tab-settings-levels");
    await page.click('[data-testid="tab-markers"]');
  });

  it("warns when a bed runs past the next marker, and stops warning once it fits", async () => {
    // #unboxing starts at 2 s, #tutorial at 6 s: 5 s runs 1 s into it
    await row("#unboxing").locator('[data-testid="marker-seconds"]').fill("5");
    const warning = row("#unboxing").locator('[data-testid="overrun-warning"]');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/Runs 1 s past the next marker \(#tutorial\)/);
    expect(await page.locator('[data-testid="overrun-warning"]').count()).toBe(1);
    await shot("overrun-warning");
    await row("#unboxing").locator('[data-testid="marker-seconds"]').fill("3");
    await warning.waitFor({ state: "detached" });
  });

  it("scores on Enter, with the run's overall progress and time left above the rows", async () => {
    // every text the run line shows, as it changes
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { runTexts: string[] }).runTexts = seen;
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid="run-progress"]')?.textContent;
        if (t && seen[seen.length - 1] !== t) seen.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await row("#tutorial").locator('[data-testid="row-bpm"]').fill("96"); // sent as target_bpm
    await focusPanel();
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="run-progress"]', { timeout: 10000 });
    await shot("run-progress");
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="marker-row"][data-status="placed"]').length === 5,
      null,
      { timeout: 90000 },
    );
    expect(await placedEdits(page)).toBe(1);
    const texts = await page.evaluate(() => (window as unknown as { runTexts: string[] }).runTexts);
    expect(texts[0]).toMatch(/^\d+ % · /);
    expect(texts.some((t) => /^\d+ % · .*scoring 5 beds$/.test(t))).toBe(true);
    expect(texts.some((t) => /^\d+ % · (about \d+ (s|min)[^·]* left|almost done) · scoring 5 beds$/.test(t))).toBe(
      true,
    );
    await page.waitForSelector('[data-testid="run-progress"]', { state: "detached" });
    await shot("placed");
  });

  it("cancels a new take on Esc: it reads as cancelled, and the placed take's line stays", async () => {
    const sting = row("#logo_sting");
    const before = await placedEdits(page);
    await sting.locator('[data-testid="marker-seconds"]').fill("300"); // long enough to be stopped midway
    await sting.locator('[data-testid="rescore"]').click();
    await page.waitForSelector('[data-testid="cancel"]');
    await sting.locator('[data-testid="row-bpm"]').click(); // focus in a one-line field: Esc still cancels
    await page.keyboard.press("Escape");
    await sting.locator('[data-testid="row-cancelled"]').waitFor({ timeout: 60000 });
    await sting.scrollIntoViewIfNeeded();
    await shot("cancelled");
    expect(await sting.getAttribute("data-status")).toBe("cancelled");
    expect(await sting.locator('[data-testid="row-error"]').count()).toBe(0);
    const text = await sting.textContent();
    expect(text).toMatch(/Placed on A\d · take 1/);
    expect(text).toMatch(/New take cancelled: take 1 stays/);
    expect(await page.textContent('[data-testid="markers-note"]')).toMatch(/^Cancelled\. Nothing new was placed/);
    expect(await placedEdits(page)).toBe(before);
    await sting.locator('[data-testid="marker-seconds"]').fill("1");
  });

  it("sends Good fit on a named take (take number, seed, prompt), with nothing preselected", async () => {
    await row("#unboxing").locator('[data-testid="feedback"]').click();
    const form = page.locator('[data-testid="feedback-form"]');
    await form.waitFor();
    expect(await page.textContent('[data-testid="feedback-take"]')).toMatch(/^Take 1 · seed \d+ · \S.*/);
    expect(await page.inputValue('[data-testid="feedback-reason"]')).toBe("");
    expect(await page.isDisabled('[data-testid="feedback-send"]')).toBe(true);
    const labels = await page.locator('[data-testid="feedback-reason"] option').allTextContents();
    expect(labels.slice(0, 2)).toEqual(["Choose…", "Good fit"]);
    await page.selectOption('[data-testid="feedback-reason"]', "good_fit");
    await page.click('[data-testid="feedback-send"]');
    const answer = await Promise.race([
      page.waitForSelector('[data-testid="feedback-saved"]').then(() => "saved"),
      page.waitForSelector('[data-testid="feedback-error"]').then((el) => el.textContent()),
    ]);
    await shot("feedback-good-fit");
    await form.locator('button[aria-label="close"]').click();
    if (answer !== "saved")
      throw new Error(
        `the helper did not store the positive reason good_fit (its feedback reasons lack it): ${answer ?? ""}`,
      );
    const report = await (await fetch(`${helper.url}/report?since=1d`)).json();
    expect(JSON.stringify(report)).toContain("good_fit");
  });

  it("removes a team preset only after a confirmation, and shows a refusal next to its control, in view", async () => {
    await page.click('[data-testid="tab-presets"]');
    await page.waitForSelector('[data-testid="preset-row"]');
    const rows = page.locator('[data-testid="preset-row"]');
    const count = await rows.count();
    const first = rows.first();
    const tag = (await first.locator(".row-name").textContent())!;
    await first.locator('[data-testid="preset-remove"]').click();
    expect(await first.locator('[data-testid="preset-confirm"]').textContent()).toMatch(
      new RegExp(`Remove ${tag} for everyone who uses this helper\\?`),
    );
    await shot("presets-confirm");
    await first.locator('[data-testid="preset-remove-keep"]').click();
    expect(await rows.count()).toBe(count);
    expect(await page.locator('[data-testid="preset-confirm"]').count()).toBe(0);
    await first.locator('[data-testid="preset-remove"]').click();
    await first.locator('[data-testid="preset-remove-confirm"]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="preset-row"]').length === n - 1, count);
    expect(await page.textContent('[data-testid="presets-message"]')).toBe(
      `${tag} removed for everyone who uses this helper`,
    );
    // a bad tag at the bottom of a long table: the refusal shows under the New preset fields, scrolled into view
    await page.fill('[data-testid="preset-new-tag"]', "#!!");
    await page.fill('[data-testid="preset-new-prompt"]', "warm synth pads");
    await page.click('[data-testid="preset-add"]');
    const refusal = page.locator('[data-testid="preset-new-message"]');
    expect(await refusal.textContent()).toMatch(/a tag is letters, digits and _/);
    const box = await refusal.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(HEIGHT);
    await shot("presets-refusal");
  });

  (VOICE_TOOLS ? it : it.skip)("drops the last clip's analysis when the editor selects another clip", async () => {
    await page.click('[data-testid="tab-clip"]');
    await page.evaluate(() =>
      (window as unknown as Harness).cuesmith.host.setSelection([
        { trackType: "audio", trackIndex: 0, name: "Voice-over" },
      ]),
    );
    await page.waitForSelector('[data-testid="clip-row"]');
    await page.fill('[data-testid="clip-transcript"]', "This new feature is really great.");
    await page.click('[data-testid="analyse"]');
    await page.waitForSelector('[data-testid="analysis"]', { timeout: 60000 });
    await shot("clip-analysis");
    await page.evaluate(() =>
      (window as unknown as Harness).cuesmith.host.setSelection([
        { trackType: "audio", trackIndex: 1, name: "licensed sting" },
      ]),
    );
    await page.waitForSelector('[data-testid="analysis"]', { state: "detached" });
    expect(await page.textContent('[data-testid="clip-row"]')).toMatch(/licensed sting/);
    await shot("clip-switched");
  });
});
