// The real machine behind doctor's probes: files, the port, onnxruntime, Adobe's folders.
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { verifyModel } from "../../models/fetch";
import { availableProviders } from "../engine/providers";
import { resolveFfmpeg } from "../voice/ffmpeg-binary";
import { DesktopPlatform, installedPluginRecords, premiereParentDir } from "./adobe-paths";
import type { DoctorProbes, PortState } from "./doctor";
import { pluginId } from "./package-files";

/** GET /health on the port: our helper answers JSON with a version; refused means the port is free. */
export function probePort(host: string, port: number, timeoutMs = 2000): Promise<PortState> {
  return new Promise((resolve) => {
    const req = http.get(
      { host, port, path: "/health", timeout: timeoutMs, agent: false, headers: { Host: `127.0.0.1:${port}` } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c.length + body.length < 65536 ? c : ""));
        res.on("end", () => {
          try {
            const health = JSON.parse(body) as Record<string, unknown>;
            if (typeof health.version === "string" && "status" in health) return resolve({ state: "ours", health });
          } catch {
            // not JSON: someone else's server
          }
          resolve({ state: "other", detail: `it answered HTTP ${res.statusCode} without cuesmith's health` });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer")));
    req.on("error", (err: NodeJS.ErrnoException) =>
      resolve(err.code === "ECONNREFUSED" ? { state: "free" } : { state: "other", detail: err.code ?? err.message }),
    );
  });
}

export function isContractModel(dir: string): boolean {
  try {
    return Boolean(
      (JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")) as Record<string, unknown>)
        .cuesmith_contract_model,
    );
  } catch {
    return false;
  }
}

function panelInstalled(platform: DesktopPlatform, home: string, env: NodeJS.ProcessEnv): boolean | null {
  const records = installedPluginRecords(platform, home, env);
  if (!records) return null;
  const id = pluginId();
  try {
    if (fs.readFileSync(records.infoFile, "utf8").includes(`"${id}"`)) return true;
  } catch {
    // no plugins-info file: look at the folder
  }
  try {
    return fs.readdirSync(records.pluginsDir).some((name) => name === id || name.startsWith(`${id}_`));
  } catch {
    return false;
  }
}

/** "Adobe Premiere Pro 2025 (25.6.1)" for each release folder, with the version from Info.plist where readable. */
function premiereVersions(platform: DesktopPlatform, env: NodeJS.ProcessEnv): string[] | null {
  const parent = premiereParentDir(platform, env);
  if (!parent) return null;
  let names: string[];
  try {
    names = fs
      .readdirSync(parent)
      .filter((n) => /^Adobe Premiere Pro/i.test(n))
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    if (platform !== "darwin") return name;
    try {
      const plist = fs.readFileSync(path.join(parent, name, `${name}.app`, "Contents", "Info.plist"), "utf8");
      const v = /<key>CFBundleShortVersionString<\/key>\s*<string>([^<]+)<\/string>/.exec(plist)?.[1];
      return v ? `${name} (${v})` : name;
    } catch {
      return name;
    }
  });
}

export function machineProbes(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform as DesktopPlatform,
  home = os.homedir(),
): DoctorProbes {
  return {
    nodeVersion: process.version,
    ffmpeg: () => resolveFfmpeg({ env }),
    isContractModel,
    modelDirExists: (dir) => fs.existsSync(dir),
    verifyModel: (dir, model) => verifyModel(dir, { model }),
    providers: () => availableProviders(),
    probePort: (host, port) => probePort(host, port),
    panelInstalled: () => panelInstalled(platform, home, env),
    premiereVersions: () => premiereVersions(platform, env),
  };
}
