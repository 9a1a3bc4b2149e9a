// How lively the voice is, from its pace: words (en) or characters (zh) per second of speech, relative to an
// ordinary narration pace. 0.5 is ordinary; faster reads push the bed's tempo up, slower ones down.
import type { Region } from "./speech-regions";

const ORDINARY_PACE = { en: 2.5, zh: 4.5 }; // words / characters per second of speech

export function speechEnergy(transcript: string, language: "zh" | "en", regions: Region[]): number | null {
  const speechSec = regions.reduce((s, r) => s + (r.end - r.start), 0);
  if (speechSec < 0.5) return null;
  const units = language === "zh" ? (transcript.match(/[\u3400-\u9fff]/g) ?? []).length : transcript.split(/\s+/).filter(Boolean).length;
  if (units === 0) return null;
  const ratio = units / speechSec / ORDINARY_PACE[language];
  return Math.max(0, Math.min(1, 0.5 + (ratio - 1)));
}
