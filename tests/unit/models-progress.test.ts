// The fetch progress bar: one line redrawn in place on a terminal, a plain line every ~10% elsewhere.
import { FetchProgress, formatBytes, ProgressBar } from "../../models/fetch";

const event = (doneBytes: number, phase: FetchProgress["phase"] = "download"): FetchProgress => ({
  phase,
  file: "onnx/decoder_model_merged_quantized.onnx",
  fileIndex: 8,
  fileCount: 9,
  fileBytes: doneBytes,
  fileSize: 1000,
  doneBytes,
  totalBytes: 1000,
});

describe("fetch progress bar", () => {
  it("prints a line per 10% when not on a terminal", () => {
    const lines: string[] = [];
    const bar = new ProgressBar({ write: (s) => lines.push(s), tty: false });
    for (let b = 0; b <= 1000; b += 7) bar.update(event(b));
    bar.update(event(1000, "done"));
    bar.finish();
    expect(lines.map((l) => l.match(/^fetch: (\d+)%/)?.[1])).toEqual([
      "0",
      "10",
      "20",
      "30",
      "40",
      "50",
      "60",
      "70",
      "80",
      "90",
      "100",
    ]);
    expect(lines.every((l) => l.endsWith("\n") && !l.includes("\r"))).toBe(true);
    expect(lines[3]).toContain("onnx/decoder_model_merged_quantized.onnx");
  });

  it("redraws one line on a terminal, throttled, and ends it with a newline", () => {
    let now = 0;
    const writes: string[] = [];
    const bar = new ProgressBar({
      write: (s) => writes.push(s),
      tty: true,
      columns: 160,
      now: () => now,
      intervalMs: 100,
    });
    bar.update(event(0)); // within the first interval: skipped
    now = 150;
    bar.update(event(420));
    bar.update(event(430)); // throttled
    now = 300;
    bar.update(event(1000, "done"));
    bar.finish();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(
      /^\r\x1b\[2K\[#{8}-{12}\]  42% 420 B\/1\.00 kB downloading onnx\/decoder_model_merged_quantized\.onnx \(8\/9\) [\d.]+ [kM]?B\/s$/,
    );
    expect(writes[1]).toContain("100%");
    expect(writes[2]).toBe("\n");
  });

  it("keeps the terminal line within the terminal's width", () => {
    const writes: string[] = [];
    const bar = new ProgressBar({
      write: (s) => writes.push(s),
      tty: true,
      columns: 60,
      now: () => 1000,
      intervalMs: 0,
    });
    bar.update(event(500));
    expect(writes[0].replace("\r\x1b[2K", "").length).toBeLessThanOrEqual(59);
    expect(writes[0].endsWith("…")).toBe(true);
  });

  it("formats sizes the way the hub lists them", () => {
    expect(formatBytes(224)).toBe("224 B");
    expect(formatBytes(428_422_300)).toBe("428 MB");
    expect(formatBytes(1_690_000_000)).toBe("1.69 GB");
    expect(formatBytes(20_800)).toBe("20.8 kB");
  });
});
