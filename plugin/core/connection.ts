// The panel's link to the helper: one HelperClient at a time, reconnected automatically (with back-off) when the
// helper stops or restarts, and a status the UI can show. Timers are injected so tests run without waiting.
import type { HealthInfo } from "../../shared/protocol";
import { HelperClient, type SocketLike } from "./helper-client";

export type ConnectionState = "connecting" | "online" | "offline";

export interface ConnectionStatus {
  state: ConnectionState;
  url: string;
  /** What went wrong, in words (offline), or the helper's own reason when its model is not ready. */
  message: string | null;
  health: HealthInfo | null;
  /** Milliseconds until the next attempt (offline). */
  retryInMs: number | null;
}

export interface ConnectionOptions {
  open: (url: string) => SocketLike;
  /** Back-off between attempts: first, growing ×2 up to max (ms). */
  retryMs?: { first: number; max: number };
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The helper's address as a WebSocket URL with the LAN token when there is one. */
export function helperSocketUrl(address: string, token?: string): string {
  const base = address
    .trim()
    .replace(/^http(s?):\/\//i, "ws$1://")
    .replace(/\/+$/, "");
  const withScheme = /^wss?:\/\//i.test(base) ? base : `ws://${base}`;
  return token ? `${withScheme}/?token=${encodeURIComponent(token)}` : withScheme;
}

export class HelperConnection {
  private client: HelperClient | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private listeners = new Set<(s: ConnectionStatus) => void>();
  private current: ConnectionStatus;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private url: string,
    private readonly options: ConnectionOptions,
  ) {
    this.current = { state: "connecting", url, message: null, health: null, retryInMs: null };
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** The live client; throws a plain-words error while the helper is not reachable. */
  get helper(): HelperClient {
    if (!this.client || !this.client.isOpen) {
      throw new Error(`the Cuesmith helper is not connected (${this.url}): start it with "npx cuesmith serve"`);
    }
    return this.client;
  }

  subscribe(listener: (s: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Points the panel at another helper (settings changed): drops the current link and connects anew. */
  retarget(url: string): void {
    this.url = url;
    this.attempt = 0;
    this.dropClient();
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.start();
  }

  /** Try now instead of waiting for the back-off. */
  retryNow(): void {
    if (this.current.state !== "offline") return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    void this.connect();
  }

  /** Re-reads the helper's health (model loading → ok) and publishes it. */
  async refreshHealth(): Promise<HealthInfo | null> {
    if (!this.client?.isOpen) return null;
    try {
      const health = await this.client.health();
      this.publish({ ...this.current, health, message: healthMessage(health) });
      return health;
    } catch {
      return null;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.dropClient();
  }

  private dropClient(): void {
    const c = this.client;
    this.client = null;
    c?.close();
  }

  private async connect(): Promise<void> {
    const url = this.url;
    this.publish({ state: "connecting", url, message: null, health: null, retryInMs: null });
    try {
      const client = await HelperClient.connect(url, this.options.open);
      if (this.stopped || url !== this.url) return client.close();
      this.client = client;
      this.attempt = 0;
      client.onClose(() => {
        if (this.client !== client) return; // replaced on purpose
        this.client = null;
        this.scheduleRetry("the helper went away");
      });
      this.publish({ state: "online", url, message: null, health: null, retryInMs: null });
      await this.refreshHealth();
    } catch (err) {
      if (this.stopped || url !== this.url) return;
      this.scheduleRetry((err as Error).message);
    }
  }

  private scheduleRetry(message: string): void {
    if (this.stopped) return;
    const { first, max } = this.options.retryMs ?? { first: 1000, max: 15000 };
    const wait = Math.min(max, first * 2 ** this.attempt++);
    this.publish({ state: "offline", url: this.url, message, health: null, retryInMs: wait });
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.connect();
    }, wait);
  }

  private publish(status: ConnectionStatus): void {
    this.current = status;
    for (const l of this.listeners) l(status);
  }
}

/** What the editor should know about the helper's state, or null when it is ready. */
export function healthMessage(health: HealthInfo): string | null {
  if (health.status === "ok")
    return health.contract_model ? "test model loaded: beds are noise (fetch the real model for music)" : null;
  if (health.status === "loading") return "the helper is loading the music model…";
  return `the music model is not installed${health.fetch_command ? `: run "${health.fetch_command}"` : ""}${health.reason ? ` (${health.reason})` : ""}`;
}
