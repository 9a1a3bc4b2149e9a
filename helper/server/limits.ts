// The server's own limits on connections, beside the protocol's message limits (shared/protocol/limits.ts).
// docs/protocol.md (Security) lists them; tests pass smaller ones so that they run fast.
import { MAX_MESSAGE_BYTES } from "../../shared/protocol";

export interface ServerLimits {
  /**
   * Bytes a WebSocket client may leave unread (ws `bufferedAmount`) before the helper gives up on it: the
   * connection is closed with 1008 and its jobs are cancelled. A panel reads everything at once; only a stuck or
   * hostile client gets near this, and without it helper memory grows with every reply it does not read.
   */
  maxBufferedBytes: number;
  /** A ping every this many ms; a client that has not answered the previous one by then is dropped. */
  heartbeatMs: number;
  /** After a 1008 close, how long the close frame gets to go out before the socket is destroyed. */
  closeGraceMs: number;
  /**
   * The largest WebSocket message ws reads at all. Between MAX_MESSAGE_BYTES and this the helper answers with a
   * `too_large` error and then closes with 1009; beyond it ws closes with 1009 before the message is read (no
   * error message can come first, the close frame is the answer).
   */
  maxFrameBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  maxBufferedBytes: 8 * 1024 * 1024,
  heartbeatMs: 30_000,
  closeGraceMs: 1_000,
  maxFrameBytes: 4 * MAX_MESSAGE_BYTES,
});

/** WebSocket close codes the helper uses (RFC 6455 §7.4.1). ws itself sends 1002 and 1007 for bad frames. */
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_LARGE = 1009;
