// `cuesmith doctor`: is this machine ready to score markers? One line per check, ok / warning / fix.
// Exit 0 when nothing needs fixing, 1 when something does (warnings alone do not fail).
import * as path from "node:path";
import { HelperSettings, loadSettings } from "../config/settings";
import { formatChecks, runDoctor } from "../install/doctor";
import { machineProbes } from "../install/probes";
import { CliIO, numberOption, parse, UsageError } from "./args";

export const DOCTOR_USAGE = "cuesmith doctor [--model-dir DIR] [--port N] [--json]";

export async function runDoctorCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    "model-dir": { type: "string" },
    port: { type: "string" },
    json: { type: "boolean" },
  });
  const port = numberOption("port", values.port, (n) => Number.isInteger(n) && n > 0 && n < 65536, "a port number");
  let settings: HelperSettings;
  try {
    settings = loadSettings();
  } catch (err) {
    throw new UsageError(`the settings file cannot be used: ${(err as Error).message}`);
  }
  const target = {
    modelName: settings.modelName,
    modelDir: values["model-dir"] !== undefined ? path.resolve(values["model-dir"]) : settings.modelDir,
    host: settings.host === "0.0.0.0" ? "127.0.0.1" : settings.host,
    port: port ?? settings.port,
  };
  const checks = await runDoctor(target, machineProbes());
  if (values.json) io.out(JSON.stringify({ checks }, null, 2));
  else for (const line of formatChecks(checks)) io.out(line);
  return checks.some((c) => c.level === "fix") ? 1 : 0;
}
