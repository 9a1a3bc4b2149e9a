import { DEFAULT_PRESETS, normalizeTag, promptForTag, withBpm } from "../../shared/presets";

describe("scene presets", () => {
  it("starts with the source article's tags and prompts", () => {
    expect(Object.keys(DEFAULT_PRESETS).sort()).toEqual([
      "closing_credits",
      "course_intro",
      "logo_sting",
      "product_slowmo",
      "transition",
      "tutorial",
      "unboxing",
      "vlog_morning",
    ]);
    expect(promptForTag("unboxing")).toEqual({
      prompt: "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident",
      source: "preset",
    });
  });
  it("normalizes tags as editors type them", () => {
    expect(normalizeTag("#Vlog-Morning")).toBe("vlog_morning");
    expect(normalizeTag("  #unboxing ")).toBe("unboxing");
    expect(normalizeTag("#")).toBeNull();
    expect(normalizeTag("../etc")).toBeNull();
  });
  it("builds a prompt from an unknown tag's words", () => {
    expect(promptForTag("#rainy_city")).toEqual({
      prompt: "rainy city background music for video, clear instruments, no vocals",
      source: "fallback",
    });
    expect(() => promptForTag("!!")).toThrow(RangeError);
  });
  it("carries a pinned seed", () => {
    expect(promptForTag("course_intro", { course_intro: { prompt: "p", seed: 42 } })).toEqual({
      prompt: "p",
      source: "preset",
      seed: 42,
    });
  });
  it("adds the tempo once", () => {
    expect(withBpm("calm piano", 110)).toBe("calm piano, 110 bpm");
    expect(withBpm("calm piano, 90 bpm", 110.4)).toBe("calm piano, 110 bpm");
    expect(withBpm("calm piano")).toBe("calm piano");
  });
});
