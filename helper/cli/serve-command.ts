// `cuesmith serve`: the daemon the Premiere panel talks to (the README's "start" command).
import * as path from "node:path";
import { HelperSettings, loadSettings, readTokenFile, TOKEN_ENV } from "../config/settings";
import { startHelper } from "../server/app";
import { installProcessGuard } from "../server/process-guard";
import { EngineHost } from "../service/engine-host";
import { fetchModel, ProgressBar } from "../../models/fetch";
import { CliIO, numberOption, parse, UsageError } from "./args";

export const SERVE_USAGE =
  "cuesmith serve [--port 8001] [--host 127.0.0.1] [--model-dir DIR] [--variant auto|fp32|q8] [--provider auto|webgpu|cpu|cuda|dml|coreml] " +
  "[--output-dir DIR] [--timeout SEC] [--allow-origin URL]... [--no-fetch] [--lan (--token-file PATH | --token TOKEN)]\n" +
  `        --lan needs a token: --token-file PATH (the file's contents, trimmed), the ${TOKEN_ENV} environment variable, or\n` +
  '        --token TOKEN (visible to other users in `ps`; prefer the file or the variable), or "token" in config.json.\n' +
  "        Clients send it as Authorization: Bearer TOKEN; a WebSocket may also use ?token=TOKEN.";

export async function runServeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    port: { type: "string" },
    host: { type: "string" },
    "model-dir": { type: "string" },
    variant: { type: "string" },
    provider: { type: "string" },
    "output-dir": { type: "string" },
    timeout: { type: "string" },
    "allow-origin": { type: "string", multiple: true },
    "no-fetch": { type: "boolean" },
    lan: { type: "boolean" },
    token: { type: "string" },
    "token-file": { type: "string" },
  });
  if (values.token !== undefined && values["token-file"] !== undefined)
    throw new UsageError("give --token or --token-file, not both");
  const overrides: Partial<HelperSettings> = {
    port: numberOption("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536, "a port number"),
    host: values.host,
    modelDir: values["model-dir"] !== undefined ? path.resolve(values["model-dir"]) : undefined,
    variant: values.variant as HelperSettings["variant"] | undefined,
    provider: values.provider,
    outputDir: values["output-dir"] !== undefined ? path.resolve(values["output-dir"]) : undefined,
    jobTimeoutSec: numberOption("timeout", values.timeout, (n) => n > 0, "seconds > 0"),
    allowedOrigins: values["allow-origin"],
    autoFetch: values["no-fetch"] ? false : undefined,
    lan: values.lan,
    token: values.token,
  };
  let settings: HelperSettings;
  try {
    if (values["token-file"] !== undefined) overrides.token = readTokenFile(values["token-file"]);
    settings = loadSettings(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const log = (line: string) => io.err(`[${new Date().toISOString()}] ${line}`);
  // the net under every handler: a fault is logged with its request or connection, which is closed; the rest go on
  const removeGuard = installProcessGuard(log);
  const host = new EngineHost({
    modelDir: settings.modelDir,
    modelName: settings.modelName,
    variant: settings.variant,
    provider: settings.provider,
    log,
    fetch: settings.autoFetch
      ? async () => {
          const bar = new ProgressBar({
            write: (s) => process.stderr.write(s),
            tty: !!process.stderr.isTTY,
            columns: process.stderr.columns,
          });
          await fetchModel(settings.modelName, {
            dest: settings.modelDir,
            variant: settings.variant === "fp32" || settings.provider === "webgpu" ? "fp32" : "q8",
            onProgress: bar.update,
          });
        }
      : undefined,
  });
  if (values.token !== undefined)
    log(
      `note: --token is visible to other users of this machine (ps); --token-file PATH or ${TOKEN_ENV} keep it private`,
    );
  const helper = await startHelper(settings, host, { log });
  const swept = helper.ctx.sweptTempFiles.length;
  if (swept > 0) log(`removed ${swept} temp file(s) left by an interrupted write`);
  log(
    `cuesmith helper listening on ${helper.url} (WebSocket and HTTP)${settings.lan ? " — LAN mode, token required" : ""}`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: shutting down`);
      host.close();
      void helper.close().then(() => {
        removeGuard();
        resolve();
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return 0;
}
