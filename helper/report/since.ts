// "7d", "24h", "30m" or an ISO date -> the start of the report window.

export function parseSince(value: string, now: Date = new Date()): Date {
  const m = /^(\d+)\s*([dhm])$/i.exec(value.trim());
  if (m) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2].toLowerCase() as "d" | "h" | "m"];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const date = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new RangeError(`--since must look like 7d, 24h, 30m or 2026-11-01, got "${value}"`);
  return date;
}
