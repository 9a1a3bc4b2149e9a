// The last line of defence: an exception nobody caught, or a rejection nobody handled, is logged with the request
// or connection it came from, that one connection is closed, and the daemon keeps serving everyone else (an
// editor would otherwise lose every queued job). This is a net, not a fix: each fault it catches is a bug to fix
// where it starts.
//
// Each HTTP request and each WebSocket message runs inside a `FaultScope` (AsyncLocalStorage), which follows the
// work into its callbacks and promises; Node emits `uncaughtException` while the failing callback's context is
// still current, so the handler finds the scope of the request that threw.
import { AsyncLocalStorage } from "node:async_hooks";

export interface FaultScope {
  /** "http#12 GET /health", "ws#3" …: what the log line names. */
  id: string;
  /** Drops the offending connection (it may be half-answered or in a broken state). */
  close(): void;
}

const scopes = new AsyncLocalStorage<FaultScope>();

/** Runs `fn` (and everything it schedules) inside `scope`. */
export function runInScope<T>(scope: FaultScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

export function currentScope(): FaultScope | undefined {
  return scopes.getStore();
}

export type FaultKind = "uncaught exception" | "unhandled rejection";

/** Logs one fault, naming its scope when known, and closes that scope's connection. Never throws. */
export function handleFault(
  kind: FaultKind,
  err: unknown,
  log: (line: string) => void,
  scope: FaultScope | undefined = currentScope(),
): void {
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  try {
    log(
      `${kind} in ${scope ? scope.id : "(no request or connection)"}; ${scope ? "closing that connection" : "nothing to close"}, still serving: ${detail}`,
    );
  } catch {
    // a logger that fails must not turn the net into a crash
  }
  try {
    scope?.close();
  } catch {
    // the connection may already be gone
  }
}

/** Installs the guard on `proc` (the real process by default); returns a function that removes it again. */
export function installProcessGuard(log: (line: string) => void, proc: NodeJS.EventEmitter = process): () => void {
  const onException = (err: unknown) => handleFault("uncaught exception", err, log);
  const onRejection = (reason: unknown) => handleFault("unhandled rejection", reason, log);
  proc.on("uncaughtException", onException);
  proc.on("unhandledRejection", onRejection);
  return () => {
    proc.off("uncaughtException", onException);
    proc.off("unhandledRejection", onRejection);
  };
}
