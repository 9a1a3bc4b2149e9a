// Every command answers --help with its own usage and exit 0, wherever the flag sits among the others.
import { main } from "../../helper/cli/main";
import { asksForHelp } from "../../helper/cli/help";

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("cuesmith COMMAND --help", () => {
  it.each([
    [["serve", "--help"], /^usage: cuesmith serve \[--port/],
    [["serve", "--port", "9000", "-h"], /^usage: cuesmith serve /],
    [["generate", "--help"], /^usage: cuesmith generate .*--duration SEC/],
    [["generate", "--prompt", "x", "--help"], /^usage: cuesmith generate /],
    [["analyze", "--help"], /^usage: cuesmith analyze /],
    [["report", "--help"], /^usage: cuesmith report /],
    [["models", "fetch", "--help"], /^usage:\n {2}cuesmith models fetch NAME/],
    [["models", "verify", "-h"], /^usage:\n {2}cuesmith models verify /],
    [["models", "list", "--help"], /^usage:\n {2}cuesmith models list /],
    [["models", "build-test", "--help"], /^usage:\n {2}cuesmith models build-test /],
    [["doctor", "--help"], /^usage: cuesmith doctor /],
    [["install", "--dry-run", "--help"], /^usage: cuesmith install .*--dry-run/],
    [["uninstall", "-h"], /^usage: cuesmith uninstall /],
    [["models", "--help"], /cuesmith models fetch NAME[\s\S]*cuesmith models build-test/],
  ])("%j prints its usage, exit 0", async (argv, usage) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(usage as RegExp);
  });

  it("a sub-command's help shows only that sub-command", async () => {
    const r = await run(["models", "fetch", "--help"]);
    expect(r.out).not.toMatch(/models verify/);
  });

  it("the top level lists every command and exits 0 for --help, 2 with no command", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["serve", "generate", "models fetch", "report", "analyze", "install", "uninstall", "doctor"])
      expect(r.out).toContain(`cuesmith ${c}`);
    expect(r.out).toContain("COMMAND --help");
    expect((await run([])).code).toBe(2);
  });

  it("--help after `--` is an argument, not a request for help", () => {
    expect(asksForHelp(["--prompt", "x", "--", "--help"])).toBe(false);
    expect(asksForHelp(["-h"])).toBe(true);
  });

  it("an unknown command with --help is still an unknown command", async () => {
    const r = await run(["frobnicate", "--help"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
  });
});
