// Language choice and Whisper's logits rules on crafted logits (a made-up layout: text 0..9, eos 10,
// <|en|> 11, <|zh|> 12, <|de|> 13, notimestamps 19, timestamps from 20).
import { pickLanguage } from "../../helper/voice/transcribe/language";
import { applyWhisperRules, argmax } from "../../helper/voice/transcribe/logits";

const langToId = { "<|en|>": 11, "<|zh|>": 12, "<|de|>": 13 };
const cfg = { eos: 10, noTimestamps: 19, timestampBegin: 20, suppressTokens: [3], beginSuppressTokens: [0, 10] };
const V = 120; // timestamps 20..119
const opts = { monotonic: true, maxInitialTimestampIndex: 50 };

function row(values: Record<number, number>, base = 0): Float32Array {
  const r = new Float32Array(V).fill(base);
  for (const [k, v] of Object.entries(values)) r[Number(k)] = v;
  return r;
}

describe("pickLanguage", () => {
  it("takes the most likely language token, with its probability among the language tokens", () => {
    const c = pickLanguage(row({ 11: 1, 12: 3, 13: 0, 5: 50 }), langToId);
    expect(c.language).toBe("zh");
    const e = Math.exp;
    expect(c.probability).toBeCloseTo(e(3) / (e(1) + e(3) + e(0)), 6);
  });

  it("is restricted to the candidates when given", () => {
    const c = pickLanguage(row({ 11: 1, 12: 0, 13: 9 }), langToId, ["zh", "en"]);
    expect(c.language).toBe("en");
    expect(c.probability).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 1), 6);
    expect(() => pickLanguage(row({}), langToId, ["xx"])).toThrow(/lang_to_id/);
  });
});

describe("applyWhisperRules", () => {
  it("starts with a timestamp no later than max_initial_timestamp_index", () => {
    const r = row({ 5: 10, [20 + 80]: 9, [20 + 3]: 1 });
    applyWhisperRules(r, [], cfg, opts);
    expect(argmax(r)).toBe(23);
    expect(r[20 + 51]).toBe(-Infinity);
    expect(r[20 + 50]).not.toBe(-Infinity);
  });

  it("suppresses suppress_tokens always and begin_suppress_tokens at the first position only", () => {
    const r = row({ 3: 10, 0: 9 }, -5);
    applyWhisperRules(r, [25], cfg, opts);
    expect(r[3]).toBe(-Infinity);
    expect(argmax(r)).toBe(0);
    expect(r[19]).toBe(-Infinity);
  });

  it("after a closed pair forbids timestamps; after text + timestamp forbids text", () => {
    const afterPair = row({ 4: 1, 60: 5 });
    applyWhisperRules(afterPair, [20, 4, 30, 30], cfg, opts);
    expect(afterPair.subarray(20).every((x) => x === -Infinity)).toBe(true);
    expect(argmax(afterPair)).toBe(4);

    const afterOpen = row({ 4: 9, 35: 1 }, -3);
    applyWhisperRules(afterOpen, [20, 4, 30], cfg, opts);
    expect(afterOpen.subarray(0, 10).every((x) => x === -Infinity)).toBe(true);
    expect(argmax(afterOpen)).toBe(35);
  });

  it("keeps timestamps monotonic (the next segment may open at the closing time, not before)", () => {
    const opening = row({ 25: 5, 30: 1 }, -9);
    applyWhisperRules(opening, [20, 4, 30], cfg, opts);
    expect(opening[29]).toBe(-Infinity);
    expect(argmax(opening)).toBe(30);
    const later = row({ 30: 5, 31: 1 }, -9);
    applyWhisperRules(later, [20, 4, 30, 30, 5], cfg, opts);
    expect(later[30]).toBe(-Infinity);
    expect(later[31]).toBe(1);
    const off = row({ 25: 5, 30: 1 }, -9);
    applyWhisperRules(off, [20, 4, 30], cfg, { ...opts, monotonic: false });
    expect(argmax(off)).toBe(25);
  });

  it("forces a timestamp when all timestamps together outweigh the best text token", () => {
    const r = row({ 4: 2 }, 0); // 100 timestamps at 0: log(100) = 4.6 > 2
    applyWhisperRules(r, [20, 4], cfg, opts);
    expect(r.subarray(0, 20).every((x) => x === -Infinity)).toBe(true);
    const t = row({ 4: 6 }, 0); // 6 > 4.6: text stays possible
    applyWhisperRules(t, [20, 4], cfg, opts);
    expect(argmax(t)).toBe(4);
  });
});
