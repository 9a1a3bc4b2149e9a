// How the process waits for the GPU. Dawn's Node binding (npm `webgpu`) completes a `mapAsync` or
// `onSubmittedWorkDone` by polling: while any such promise is pending it calls `setImmediate` again and again, each
// time looking the function up on the global, and processes Dawn's events in every callback (its AsyncRunner; the
// upstream TODO, crbug.com/dawn/1127, says the frequency should come down). One decoder step is ~1,350 of those turns
// on a software adapter, and the helper's main thread spins at 100 % while the GPU works: on an editor's machine that
// core is taken from Premiere. This wrapper keeps the spin for the first moment of a wait, where a fast GPU usually
// answers, and then polls once a millisecond.
import { performance } from "node:perf_hooks";

/** How long a wait may spin before it polls once a millisecond, ms. */
export const SPIN_MS = 1;
/** A tick this long after the previous one starts a new wait (polling ticks are ~1 ms apart), ms. */
const NEW_WAIT_GAP_MS = 4;

type SetImmediateLike = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;

/**
 * Whether a `setImmediate` call is Dawn's poll: an anonymous native function (what N-API's `Function::New` makes)
 * with no arguments. Bound functions, Node's own callbacks and anything written in JavaScript are not.
 */
export function isDawnTick(callback: unknown, args: readonly unknown[]): boolean {
  return (
    typeof callback === "function" &&
    args.length === 0 &&
    callback.name === "" &&
    callback.length === 0 &&
    /^function \(\) \{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(callback))
  );
}

/**
 * Replaces `host.setImmediate` with one that passes every call through, except Dawn's polls after SPIN_MS of a
 * wait, which it runs on a 1 ms timer instead. Installed once per process (webgpu/runtime.ts); `now` is for tests.
 */
export function installGpuWaitBackoff(
  host: { setImmediate: SetImmediateLike; setTimeout: (callback: () => void, ms: number) => unknown },
  now: () => number = () => performance.now(),
): void {
  const original = host.setImmediate;
  const timer = host.setTimeout;
  let waitStart = -Infinity;
  let lastTick = -Infinity;
  const wrapper = function (this: unknown, callback: (...args: unknown[]) => void, ...args: unknown[]) {
    if (!isDawnTick(callback, args)) return original.call(this, callback, ...args);
    const t = now();
    if (t - lastTick > NEW_WAIT_GAP_MS) waitStart = t;
    lastTick = t;
    // Dawn ignores what setImmediate returns, so a Timeout in place of an Immediate is fine
    return t - waitStart < SPIN_MS ? original.call(this, callback) : timer(() => callback(), 1);
  };
  // keep what hangs off the original (its name, util.promisify's custom form) for everyone else
  Object.defineProperties(wrapper, Object.getOwnPropertyDescriptors(original));
  host.setImmediate = wrapper;
}
