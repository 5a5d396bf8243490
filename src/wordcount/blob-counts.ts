/**
 * Word counts as the wasm merge leaves them: per hash partition, the keys as one '\n'-separated UTF-8 blob, their
 * counts as f64 and where each ends, in the same order. Strings are made only when asked for: `top(k)` decodes just the keys that can
 * be in the top k, and the whole Map is built on the first `get` or `entries`.
 *
 * A key prefixed by byte 1 holds the original bytes of a word with Σ or İ, whose lower-casing (final sigma,
 * multi-character mappings) is left to toLowerCase here; such a key may fold into another, so a store holding one
 * always goes through the Map.
 */
import { compareCounts, kthLargest, type CountStore } from './result.js';

/** One partition's keys and counts. */
export interface KeyPartition {
  /** Keys in UTF-8, each followed by '\n'. */
  keys: Uint8Array;
  /** counts[i] belongs to the i-th key. */
  counts: Float64Array;
  /** ends[i]: the offset just past the i-th key's '\n'. */
  ends: Uint32Array;
}

const RAW = 0x01;

export class BlobCounts implements CountStore {
  private built: Map<string, number> | undefined;
  private readonly raw: boolean;
  private readonly decoder = new TextDecoder();

  constructor(private readonly parts: KeyPartition[]) {
    // Words hold no control bytes, so byte 1 anywhere marks a raw key.
    this.raw = parts.some((p) => p.keys.indexOf(RAW) >= 0);
  }

  get size(): number {
    return this.raw ? this.map().size : this.parts.reduce((n, p) => n + p.counts.length, 0);
  }

  map(): Map<string, number> {
    if (this.built) return this.built;
    const counts = new Map<string, number>();
    for (const { keys, counts: values } of this.parts) {
      const words = this.decoder.decode(keys).split('\n');
      for (let i = 0; i < values.length; i++) {
        const k = words[i]!;
        if (k.charCodeAt(0) === RAW) {
          const w = k.slice(1).toLowerCase();
          counts.set(w, (counts.get(w) ?? 0) + values[i]!);
        } else counts.set(k, (counts.get(k) ?? 0) + values[i]!);
      }
    }
    this.built = counts;
    return counts;
  }

  top(k: number): Array<[string, number]> | undefined {
    if (this.raw || this.built) return undefined;
    const threshold = kthLargest(
      this.parts.map((p) => p.counts),
      k,
    );
    const picked: Array<[string, number]> = [];
    for (const { keys, counts, ends } of this.parts) {
      for (let i = 0; i < counts.length; i++) {
        if (counts[i]! >= threshold)
          picked.push([this.decoder.decode(keys.subarray(i ? ends[i - 1]! : 0, ends[i]! - 1)), counts[i]!]);
      }
    }
    picked.sort(compareCounts);
    return picked.length > k ? picked.slice(0, k) : picked;
  }
}
