import type { ResolvedInitialPosition } from '../source/InitialPosition.js';
import type { CheckpointState, PinnedStart } from './CheckpointState.js';

/** What an initial position means for good: LATEST becomes AT_TIMESTAMP of `now`. */
export function pinStart(initial: ResolvedInitialPosition, now: number): PinnedStart {
  switch (initial.type) {
    case 'TRIM_HORIZON':
      return 'TRIM_HORIZON';
    case 'LATEST':
      return { atTimestamp: new Date(now).toISOString() };
    case 'AT_TIMESTAMP':
      return { atTimestamp: initial.timestamp.toISOString() };
  }
}

/**
 * The state with a pinned start for every stream it does not know yet; the
 * streams it knows keep theirs (the restarting call's initial position does
 * not apply to them). Returns a new state; the input is not changed.
 *
 * ## Example
 * ```ts
 * import { pinStarts, emptyCheckpointState } from 'rx-kinesis';
 * pinStarts(emptyCheckpointState(), ['orders'], { type: 'LATEST' }, Date.parse('2026-01-01'));
 * // { version: 1, starts: { orders: { atTimestamp: '2026-01-01T00:00:00.000Z' } }, shards: {} }
 * ```
 */
export function pinStarts(
  state: CheckpointState,
  streams: readonly string[],
  initial: ResolvedInitialPosition,
  now: number,
): CheckpointState {
  const missing = streams.filter((stream) => state.starts[stream] === undefined);
  if (missing.length === 0) return state;
  const starts = { ...state.starts };
  for (const stream of missing) starts[stream] = pinStart(initial, now);
  return { ...state, starts };
}
