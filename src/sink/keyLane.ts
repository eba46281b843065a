/**
 * The lane (0..lanes-1) of an ordering key: FNV-1a of the key, so every
 * record of one key takes the same lane and lanes fill evenly. With
 * `ordering: 'per-key'` each lane has at most one request in flight.
 *
 * ## Example
 * ```ts
 * import { keyLane } from 'rx-kinesis';
 * keyLane('user-42', 16); // the same number every time, in 0..15
 * ```
 */
export function keyLane(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
