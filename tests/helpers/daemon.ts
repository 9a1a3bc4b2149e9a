// Starts the real helper daemon on a free port, in a fresh home folder, with the tiny contract model.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultSettings, HelperSettings } from "../../helper/config/settings";
import { HelperServerOptions, RunningHelper, startHelper } from "../../helper/server/app";
import { EngineHost } from "../../helper/service/engine-host";
import { tinyModelDir } from "./contract-model";

export async function startTestHelper(
  over: Partial<HelperSettings> = {},
  modelDir?: string,
  options: HelperServerOptions & { provider?: string } = {},
): Promise<RunningHelper> {
  const { provider = "cpu", ...serverOptions } = options;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-home-"));
  const settings: HelperSettings = {
    ...defaultSettings({ CUESMITH_HOME: home }),
    port: 0,
    autoFetch: false,
    modelDir: modelDir ?? (await tinyModelDir()),
    outputRoots: [home, os.tmpdir()],
    ...over,
  };
  const host = new EngineHost({
    modelDir: settings.modelDir,
    modelName: settings.modelName,
    variant: "auto",
    provider,
  });
  await host.ready;
  return startHelper(settings, host, serverOptions);
}
