// `cuesmith doctor`: one line per thing the helper and panel need (Node, ffmpeg, the model, providers, the port,
// the panel, Premiere), each ok / warning / fix. The machine is read only through injected probes, so every
// verdict is unit-tested without the machine it describes.
import type { VerifyReport } from "../../models/fetch";
import type { FfmpegBinary } from "../voice/ffmpeg-binary";
import { FFMPEG_HINT } from "../voice/decode-audio";

export type CheckLevel = "ok" | "warning" | "fix";

export interface Check {
  label: string;
  level: CheckLevel;
  detail: string;
  /** What to do, for warnings and fixes. */
  fix?: string;
}

export type PortState =
  { state: "free" } | { state: "ours"; health: Record<string, unknown> } | { state: "other"; detail: string };

export interface DoctorProbes {
  nodeVersion: string;
  ffmpeg(): FfmpegBinary | null;
  /** Whether the folder holds a random-weight contract model (its config.json says so). */
  isContractModel(dir: string): boolean;
  modelDirExists(dir: string): boolean;
  verifyModel(dir: string, model: string): Promise<VerifyReport>;
  providers(): string[];
  probePort(host: string, port: number): Promise<PortState>;
  /** true/false where the platform keeps a record of installed UXP plugins; null where it cannot tell. */
  panelInstalled(): boolean | null;
  /** Premiere Pro versions found in the standard places; null where Premiere does not run (Linux). */
  premiereVersions(): string[] | null;
}

export interface DoctorTarget {
  modelName: string;
  modelDir: string;
  host: string;
  port: number;
}

const MIN_NODE_MAJOR = 20;

function nodeCheck(version: string): Check {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  return major >= MIN_NODE_MAJOR
    ? { label: "node", level: "ok", detail: `${version}` }
    : {
        label: "node",
        level: "fix",
        detail: `${version} is too old`,
        fix: `install Node.js ${MIN_NODE_MAJOR} or newer (nodejs.org)`,
      };
}

function ffmpegCheck(found: FfmpegBinary | null): Check {
  if (!found)
    return {
      label: "ffmpeg",
      level: "warning",
      detail: "not found (voice-over beds need it; marker beds do not)",
      fix: FFMPEG_HINT,
    };
  return {
    label: "ffmpeg",
    level: "ok",
    detail: `${found.source === "bundled" ? "bundled build" : "system"}: ${found.path}`,
  };
}

async function modelCheck(target: DoctorTarget, probes: DoctorProbes): Promise<Check> {
  const fetch = `run \`cuesmith install\` (or \`cuesmith models fetch ${target.modelName}\`)`;
  if (!probes.modelDirExists(target.modelDir))
    return {
      label: "model",
      level: "fix",
      detail: `${target.modelName} is not installed in ${target.modelDir}`,
      fix: fetch,
    };
  if (probes.isContractModel(target.modelDir)) {
    return {
      label: "model",
      level: "warning",
      detail: `${target.modelDir} holds a random-weight contract model (its music is noise)`,
      fix: fetch,
    };
  }
  const report = await probes.verifyModel(target.modelDir, target.modelName);
  const bad = report.files.filter((f) => f.status !== "ok");
  if (bad.length)
    return {
      label: "model",
      level: "fix",
      detail: `${bad.length} file${bad.length > 1 ? "s" : ""} missing or damaged in ${report.dir} (first: ${bad[0].file})`,
      fix: bad[0].fix,
    };
  const complete = Object.entries(report.complete)
    .filter(([, ok]) => ok)
    .map(([v]) => v);
  return {
    label: "model",
    level: "ok",
    detail: `${report.model} in ${report.dir}: ${complete.join(", ")} complete (sizes checked; \`cuesmith models verify --deep\` checks sha256)`,
  };
}

/** The engine's decoder layout and load-time self-check, where the running helper reports them. */
function engineChecks(health: Record<string, unknown>): Check[] {
  const engine = (typeof health.engine === "object" && health.engine !== null ? health.engine : health) as Record<
    string,
    unknown
  >;
  const checks: Check[] = [];
  if (engine.decoder_layout !== undefined)
    checks.push({ label: "decoder", level: "ok", detail: `layout ${describe(engine.decoder_layout)}` });
  const self = engine.self_check;
  if (self !== undefined && self !== null) {
    const ok = typeof self === "object" ? (self as { ok?: unknown }).ok !== false : self !== false;
    checks.push(
      ok
        ? { label: "self-check", level: "ok", detail: describe(self) }
        : {
            label: "self-check",
            level: "fix",
            detail: `failed: ${describe(self)}`,
            fix: `the model files may be damaged: run \`cuesmith models verify --deep\``,
          },
    );
  }
  return checks;
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.detail === "string") return v.detail;
    if (typeof v.name === "string") return v.name;
  }
  return JSON.stringify(value);
}

function portChecks(target: DoctorTarget, port: PortState): Check[] {
  const where = `${target.host}:${target.port}`;
  if (port.state === "free") {
    return [
      {
        label: "helper",
        level: "warning",
        detail: `not running (${where} is free)`,
        fix: "start it with `cuesmith serve`, or `cuesmith install` to start it at login",
      },
    ];
  }
  if (port.state === "other") {
    return [
      {
        label: "helper",
        level: "fix",
        detail: `${where} is taken by another program (${port.detail})`,
        fix: 'choose another port: `cuesmith serve --port N`, or "port" in ~/.cuesmith/config.json, and the same in the panel\'s Settings',
      },
    ];
  }
  const h = port.health;
  const status = String(h.status ?? "unknown");
  const line: Check =
    status === "ok"
      ? {
          label: "helper",
          level: "ok",
          detail: `cuesmith ${String(h.version ?? "?")} answering on ${where}, model ready (${String(h.provider ?? "?")})`,
        }
      : status === "loading"
        ? {
            label: "helper",
            level: "ok",
            detail: `cuesmith ${String(h.version ?? "?")} answering on ${where}, model loading`,
          }
        : {
            label: "helper",
            level: "warning",
            detail: `cuesmith ${String(h.version ?? "?")} answering on ${where}, but: ${String(h.reason ?? status)}`,
            fix: String(h.fetch_command ?? "cuesmith install"),
          };
  return [line, ...engineChecks(h)];
}

export async function runDoctor(target: DoctorTarget, probes: DoctorProbes): Promise<Check[]> {
  const checks: Check[] = [nodeCheck(probes.nodeVersion), ffmpegCheck(probes.ffmpeg())];
  checks.push(await modelCheck(target, probes));
  let providers: string[];
  try {
    providers = probes.providers();
    checks.push({ label: "providers", level: "ok", detail: providers.join(", ") });
  } catch (err) {
    checks.push({
      label: "providers",
      level: "fix",
      detail: `onnxruntime could not be loaded: ${(err as Error).message.split("\n")[0]}`,
      fix: "reinstall cuesmith (npm install -g cuesmith-*.tgz)",
    });
  }
  checks.push(...portChecks(target, await probes.probePort(target.host, target.port)));
  const panel = probes.panelInstalled();
  if (panel === true) checks.push({ label: "panel", level: "ok", detail: "installed in Premiere Pro (UXP plugins)" });
  else if (panel === false)
    checks.push({
      label: "panel",
      level: "warning",
      detail: "not installed",
      fix: "run `cuesmith install`, or double-click cuesmith.ccx",
    });
  const premiere = probes.premiereVersions();
  if (premiere !== null) {
    checks.push(
      premiere.length
        ? { label: "premiere", level: "ok", detail: premiere.join(", ") }
        : {
            label: "premiere",
            level: "warning",
            detail: "Premiere Pro not found in the standard place",
            fix: "the panel needs Premiere Pro 25.6 or newer",
          },
    );
  }
  return checks;
}

/** One line per check: `ok      node       v20.11.0`, with `— fix: …` after warnings and fixes. */
export function formatChecks(checks: Check[]): string[] {
  const width = Math.max(...checks.map((c) => c.label.length));
  return checks.map(
    (c) =>
      `${c.level.padEnd(7)} ${c.label.padEnd(width)}  ${c.detail}${c.fix && c.level !== "ok" ? ` — ${c.fix}` : ""}`,
  );
}
