// The panel and the helper agree on the voice-over dip: the deepest duck the panel's Settings accept is a
// `duck_db` the real helper accepts, and one step deeper is refused by both.
import * as fs from "node:fs";
import type { RunningHelper } from "../../helper/server/app";
import { DEFAULT_SETTINGS, settingsProblems } from "../../plugin/core/settings";
import { startTestHelper } from "../helpers/daemon";

/** The largest duckDb the panel's Settings accept, found by asking the panel (bisection to 1/1000 dB). */
function panelMaxDuckDb(): number {
  const accepts = (duckDb: number) => settingsProblems({ ...DEFAULT_SETTINGS, duckDb }).duckDb === undefined;
  let [lo, hi] = [0, 1000];
  expect([accepts(lo), accepts(hi)]).toEqual([true, false]);
  while (hi - lo > 0.001) {
    const mid = (lo + hi) / 2;
    if (accepts(mid)) lo = mid;
    else hi = mid;
  }
  // settle on the whole-millidecibel value the panel accepts (the limits are round numbers)
  return Math.floor(lo * 1000 + 0.5) / 1000;
}

async function postBed(helper: RunningHelper, duckDb: number) {
  const res = await fetch(`${helper.url}/bed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      text: "Welcome back. Today we test the new camera.",
      duration_sec: 1,
      seed: 3,
      duck_db: duckDb,
    }),
  });
  return {
    status: res.status,
    json: (await res.json()) as { path?: string; error?: { code: string; field?: string } },
  };
}

describe("duck depth, panel and helper", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(async () => {
    await helper?.close();
  });

  it("the panel's deepest duck is accepted by the helper, and one dB more is refused by both", async () => {
    const max = panelMaxDuckDb();
    expect(max).toBeGreaterThan(DEFAULT_SETTINGS.duckDb);

    const accepted = await postBed(helper, max);
    expect(accepted.status).toBe(200);
    expect(fs.existsSync(accepted.json.path!)).toBe(true);

    const refused = await postBed(helper, max + 1);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: "invalid_field", field: "duck_db" });
    expect(settingsProblems({ ...DEFAULT_SETTINGS, duckDb: max + 1 }).duckDb).toMatch(/dB/);
  });
});
