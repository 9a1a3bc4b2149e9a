// The panel's pure pieces: marker edits, settings, the helper address, and reconnecting to the helper.
import { HelperConnection, healthMessage, helperSocketUrl, type ConnectionStatus } from "../../plugin/core/connection";
import type { SocketLike } from "../../plugin/core/helper-client";
import { applyEdit, editTextOf, type ScoreItem } from "../../plugin/core/markers";
import {
  DEFAULT_SETTINGS,
  loadSettings,
  saveSettings,
  settingsProblems,
  trackPolicy,
  type StorageLike,
} from "../../plugin/core/settings";
import { secondsToTicks } from "../../shared/time";

const item: ScoreItem = {
  key: "m1",
  name: "#unboxing",
  tag: "unboxing",
  startTicks: secondsToTicks(2).toString(),
  endTicks: secondsToTicks(5).toString(),
  seconds: 3,
};

describe("editing a marker's bed", () => {
  it("shows a tag with its # and a prompt as it is", () => {
    expect(editTextOf(item)).toBe("#unboxing");
    expect(editTextOf({ ...item, tag: undefined, prompt: "calm piano" })).toBe("calm piano");
  });
  it("reads one word as a tag and anything else as a prompt, and moves the end with the length", () => {
    expect(applyEdit(item, { text: "Tutorial", seconds: 4 })).toMatchObject({
      tag: "tutorial",
      seconds: 4,
      endTicks: secondsToTicks(6).toString(),
    });
    const prompt = applyEdit(item, { text: "warm strings, no vocals", seconds: 3 });
    expect(prompt.prompt).toBe("warm strings, no vocals");
    expect(prompt).not.toHaveProperty("tag");
    expect(prompt.startTicks).toBe(item.startTicks);
  });
  it("refuses an empty text and lengths MusicGen cannot make, in words", () => {
    expect(() => applyEdit(item, { text: "  ", seconds: 3 })).toThrow(/tag or a prompt/);
    expect(() => applyEdit(item, { text: "#x", seconds: 0.2 })).toThrow(/0.5 to 300 s/);
    expect(() => applyEdit(item, { text: "#x", seconds: Number("abc") })).toThrow(/0.5 to 300 s/);
  });
});

describe("panel settings", () => {
  const memory = (): StorageLike & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };
  it("round-trips through storage and falls back field by field on bad stored values", () => {
    const store = memory();
    saveSettings(store, { ...DEFAULT_SETTINGS, preferTrackName: "Music", loudnessLufs: -16 });
    expect(loadSettings(store)).toMatchObject({ preferTrackName: "Music", loudnessLufs: -16 });
    store.data.set(
      [...store.data.keys()][0],
      JSON.stringify({ loudnessLufs: 99, avoidTracksPattern: "(", token: "t" }),
    );
    expect(loadSettings(store)).toEqual({ ...DEFAULT_SETTINGS, token: "t" });
    store.data.set([...store.data.keys()][0], "{not json");
    expect(loadSettings(store)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(null)).toEqual(DEFAULT_SETTINGS);
  });
  it("names every field that would not work, and refuses to save them", () => {
    const bad = { ...DEFAULT_SETTINGS, helperAddress: "not an address!", bedLevelDb: 3, avoidTracksPattern: "[" };
    expect(Object.keys(settingsProblems(bad)).sort()).toEqual(["avoidTracksPattern", "bedLevelDb", "helperAddress"]);
    expect(() => saveSettings(memory(), bad)).toThrow(/helperAddress.*bedLevelDb|bedLevelDb/);
  });
  it("turns the track policy into predicates", () => {
    const policy = trackPolicy({ ...DEFAULT_SETTINGS, preferTrackName: " music " });
    expect(policy.excludeTrack("Dialogue 1")).toBe(true);
    expect(policy.excludeTrack("VO")).toBe(true);
    expect(policy.excludeTrack("Beds")).toBe(false);
    expect(policy.preferTrack("Music")).toBe(true);
    expect(trackPolicy(DEFAULT_SETTINGS).preferTrack("Music")).toBe(false);
  });
});

describe("the helper's address", () => {
  it("becomes a ws:// URL, with the LAN token when there is one", () => {
    expect(helperSocketUrl("127.0.0.1:8001")).toBe("ws://127.0.0.1:8001");
    expect(helperSocketUrl("http://studio-mac.local:8001/")).toBe("ws://studio-mac.local:8001");
    expect(helperSocketUrl("studio:8001", "a b")).toBe("ws://studio:8001/?token=a%20b");
  });
  it("health turns into what the editor needs to know", () => {
    const base = {
      model_loaded: true,
      provider: "cpu",
      queue_length: 0,
      version: "0.1.0",
      model_dir: "/m",
      contract_model: false,
    };
    expect(healthMessage({ ...base, status: "ok" })).toBeNull();
    expect(healthMessage({ ...base, status: "ok", contract_model: true })).toMatch(/noise/);
    expect(
      healthMessage({ ...base, status: "model_missing", fetch_command: "npx cuesmith models fetch musicgen-small" }),
    ).toMatch(/not installed: run "npx cuesmith models fetch/);
  });
});

/** A socket the test opens and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
    const msg = JSON.parse(data);
    if (msg.type === "health") {
      const reply = {
        type: "health",
        id: msg.id,
        status: "ok",
        model_loaded: true,
        provider: "cpu",
        queue_length: 0,
        version: "0.1.0",
        model_dir: "/m",
        contract_model: false,
      };
      queueMicrotask(() => this.onmessage?.({ data: JSON.stringify(reply) }));
    }
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  fail() {
    this.onerror?.({});
  }
}

describe("reconnecting to the helper", () => {
  it("retries with growing back-off while the helper is down, and comes back online by itself", async () => {
    const sockets: FakeSocket[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const states: ConnectionStatus[] = [];
    const conn = new HelperConnection("ws://127.0.0.1:8001", {
      open: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      retryMs: { first: 100, max: 300 },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
    });
    conn.subscribe((s) => states.push(s));
    conn.start();
    sockets[0].fail();
    await Promise.resolve();
    expect(conn.status).toMatchObject({ state: "offline", retryInMs: 100 });
    expect(conn.status.message).toMatch(/is it running/);
    expect(() => conn.helper).toThrow(/not connected.*npx cuesmith serve/);

    timers.shift()!.fn();
    sockets[1].fail();
    await Promise.resolve();
    timers.shift()!.fn();
    sockets[2].fail();
    await Promise.resolve();
    timers.shift()!.fn();
    sockets[3].fail();
    await Promise.resolve();
    expect(states.filter((s) => s.state === "offline").map((s) => s.retryInMs)).toEqual([100, 200, 300, 300]); // capped at max

    timers.shift()!.fn();
    sockets[4].open();
    await new Promise((r) => setTimeout(r, 0));
    expect(conn.status.state).toBe("online");
    expect(conn.status.health?.provider).toBe("cpu");
    expect(conn.helper.isOpen).toBe(true);

    // the helper restarts: offline with the first back-off again, then back
    sockets[4].close();
    expect(conn.status).toMatchObject({ state: "offline", retryInMs: 100, message: "the helper went away" });
    conn.stop();
  });
});
