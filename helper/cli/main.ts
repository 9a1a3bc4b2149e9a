// `cuesmith` entry point: dispatches sub-commands and turns known errors into one clear line.
import { EngineError } from "../engine/errors";
import { AudioInputError } from "../voice/decode-audio";
import { CliIO, stdio, UsageError } from "./args";
import { GENERATE_USAGE, runGenerateCommand } from "./generate-command";
import { runModelsCommand } from "./models-command";
import { runAnalyzeCommand } from "./analyze-command";
import { runReportCommand } from "./report-command";
import { runServeCommand, SERVE_USAGE } from "./serve-command";
import { VERSION } from "../version";

const USAGE = [
  `cuesmith ${VERSION} — local AI music beds for Premiere Pro`,
  "",
  "  cuesmith serve ...            the helper daemon the Premiere panel talks to",
  `      ${SERVE_USAGE}`,
  "  cuesmith generate ...         one bed to a WAV file",
  `      ${GENERATE_USAGE}`,
  "  cuesmith models fetch NAME [--variant q8|fp32]   download a model once (e.g. musicgen-small)",
  "  cuesmith models list | verify [--deep]           what is installed, and is it intact",
  "  cuesmith models build-test --size tiny|small --out DIR [--seed N]   random-weight contract model",
  "  cuesmith report [--since 7d] [--format md|html|json]   feedback summary and preset suggestions",
  "  cuesmith analyze [--input FILE [--in SEC --out SEC]] [--text TEXT]   voice-over -> speech, emotion, undertone, prompt",
  "  cuesmith --version | --help",
].join("\n");

export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "generate":
        return await runGenerateCommand(rest, io);
      case "models":
        return await runModelsCommand(rest, io);
      case "serve":
        return await runServeCommand(rest, io);
      case "report":
        return await runReportCommand(rest, io);
      case "analyze":
        return await runAnalyzeCommand(rest, io);
      case "--version":
      case "-v":
        io.out(VERSION);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`cuesmith: unknown command "${command}" (try cuesmith --help)`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof RangeError) {
      io.err(`cuesmith: ${err.message}`);
      return 2;
    }
    if (err instanceof AudioInputError) {
      io.err(`cuesmith: ${err.message}`);
      return 1;
    }
    if (err instanceof EngineError) {
      io.err(`cuesmith: ${err.message}`);
      return err.code === "invalid_request" ? 2 : 1;
    }
    throw err;
  }
}
