import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultSettings, loadSettings } from "../../helper/config/settings";

describe("helper settings", () => {
  const home = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-settings-"));

  it("defaults to 127.0.0.1:8001 and the user's model folder", () => {
    const env = { CUESMITH_HOME: "/x/.cuesmith" };
    const s = defaultSettings(env);
    expect(s).toMatchObject({ host: "127.0.0.1", port: 8001, lan: false, targetLufs: -14, bedLevelDb: -12 });
    expect(s.modelDir).toBe(path.join("/x/.cuesmith", "models", "musicgen-small"));
  });
  it("layers the config file under explicit flags", () => {
    const h = home();
    fs.writeFileSync(path.join(h, "config.json"), JSON.stringify({ port: 9000, targetLufs: -16 }));
    const s = loadSettings({ port: 9100 }, { CUESMITH_HOME: h });
    expect(s.port).toBe(9100);
    expect(s.targetLufs).toBe(-16);
  });
  it("names a bad key or value in the config file", () => {
    const h = home();
    fs.writeFileSync(path.join(h, "config.json"), JSON.stringify({ prot: 1 }));
    expect(() => loadSettings({}, { CUESMITH_HOME: h })).toThrow(/unknown setting "prot"/);
    fs.writeFileSync(path.join(h, "config.json"), JSON.stringify({ port: "8001" }));
    expect(() => loadSettings({}, { CUESMITH_HOME: h })).toThrow(/port must be a whole number from 0 to 65535/);
    fs.writeFileSync(path.join(h, "config.json"), "{");
    expect(() => loadSettings({}, { CUESMITH_HOME: h })).toThrow(/not valid JSON/);
  });
  it("refuses LAN mode without a token", () => {
    expect(() => loadSettings({ lan: true }, { CUESMITH_HOME: home() })).toThrow(/token/);
    expect(loadSettings({ lan: true, token: "t" }, { CUESMITH_HOME: home() }).lan).toBe(true);
  });
});
