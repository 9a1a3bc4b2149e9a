// `--since`: "7d", "24h", "30m" (that long before now) or an ISO date / date-time -> the start of the report window.

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HINT = "use 7d, 24h, 30m or a date such as 2026-11-01 (or 2026-11-01T09:00Z)";

/** The start of the window; RangeError (naming --since and the value) for anything else or a time after `now`. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const v = String(value).trim();
  const rel = /^(\d{1,7})\s*([dhm])$/i.exec(v);
  let date: Date;
  if (rel) {
    date = new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase() as keyof typeof UNIT_MS]);
  } else {
    const iso = ISO_RE.exec(v);
    if (!iso) throw new RangeError(`--since: "${value}" is not a duration or a date; ${HINT}`);
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = iso;
    // "2026-02-31" would silently roll over to March: check the fields survive the round trip
    const check = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
    if (
      check.getUTCMonth() !== +mo - 1 ||
      check.getUTCDate() !== +d ||
      check.getUTCHours() !== +h ||
      check.getUTCMinutes() !== +mi ||
      check.getUTCSeconds() !== +s
    ) {
      throw new RangeError(`--since: "${value}" is not a real date or time; ${HINT}`);
    }
    date = new Date(v.replace(" ", "T"));
  }
  if (Number.isNaN(date.getTime())) throw new RangeError(`--since: "${value}" is out of range; ${HINT}`);
  if (date.getTime() > now.getTime()) throw new RangeError(`--since: "${value}" is in the future; ${HINT}`);
  return date;
}
