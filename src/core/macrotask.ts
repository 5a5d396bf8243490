/**
 * A macrotask turn: resolves after pending I/O and messages had a turn. The platform adapters use it, and so does
 * worker-side code, which has no platform adapter installed.
 */

/** One turn through a MessageChannel: not setTimeout(0), whose nested calls are clamped to 4 ms. */
export function messageTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

// Read from globalThis: this module is also compiled for browsers, whose types have no setImmediate.
const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;

/** setImmediate where there is one (Node), else a message turn (browsers, Web Workers). */
export const macrotask: () => Promise<void> = immediate
  ? () => new Promise((resolve) => immediate(() => resolve()))
  : messageTurn;
