/**
 * What a task sends: its arguments (an apply) or its items (a chunk of a map), made ready for the wire in one place
 * for every call shape. Shareable objects become envelopes (shareable.ts); `transfer` picks the buffers to move
 * instead of copy; a chunk of plain numbers goes as one Float64Array.
 */
import { findTransferables } from './options.js';
import { packNumbers } from './chunks.js';
import { encodeShareables } from './shareable.js';

/** `transfer` as the caller gave it: a list of transferables, `true` for every ArrayBuffer found, or nothing. */
export type TransferOption = Transferable[] | boolean | undefined;

export interface Payload {
  readonly values: unknown[] | Float64Array;
  readonly transfer: Transferable[] | undefined;
  /** Holds shareable envelopes: the worker revives it before the call. */
  readonly shared: boolean;
}

/** The arguments of one call. An explicit transfer list is used as given. */
export function argsPayload(args: unknown[], transfer: TransferOption): Payload {
  const { value, found } = encodeShareables(args);
  const list =
    transfer === true ? findTransferables(args) : Array.isArray(transfer) && transfer.length ? transfer : undefined;
  return { values: value as unknown[], transfer: list, shared: found };
}

/**
 * The items of one chunk of `map` (`packable`: items are single arguments) or `starmap`. A chunk transfers only the
 * buffers found in its own items: all of them for `transfer: true`, those also named for an explicit list.
 */
export function chunkPayload(items: unknown[], packable: boolean, transfer: TransferOption): Payload {
  const { value, found } = encodeShareables(items);
  const values = value as unknown[];
  let list: Transferable[] | undefined;
  if (transfer === true) list = findTransferables(items);
  else if (Array.isArray(transfer) && transfer.length)
    list = findTransferables(items).filter((t) => transfer.includes(t));
  if (packable && !found && !list?.length) {
    const packed = packNumbers(values);
    // Copied, not transferred (a memcpy): the host keeps the payload, so a task taken back from a worker (work stealing)
    // or re-queued after a crash can be sent again.
    if (packed instanceof Float64Array) return { values: packed, transfer: undefined, shared: false };
  }
  return { values, transfer: list?.length ? list : undefined, shared: found };
}
