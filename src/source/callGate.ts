import { type SchedulerLike, asyncScheduler } from 'rxjs';

/** Kinesis allows 5 GetRecords calls per second per shard: calls start at least this far apart. */
export const MIN_GET_RECORDS_SPACING_MS = 200;
/**
 * Kinesis's read limit per shard: 2 MiB/s. A GetRecords that returned B bytes
 * uses the shard's read budget for B / 2 MiB seconds; a call before that is
 * throttled (a 10 MiB read blocks the shard for 5 s), so the reader waits.
 */
export const READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
/** Kinesis's GetRecords limit per shard in any one second. */
export const MAX_GET_RECORDS_PER_SECOND = 5;
/**
 * The sliding second of the gate. With the 200 ms spacing, the 6th call of
 * any run starts a full second after the 1st; what the server sees can be a
 * few milliseconds closer (network and event-loop jitter).
 */
export const CALL_WINDOW_MS = 1000;

/**
 * The slots of one shard's GetRecords calls: every attempt (first call, retry
 * after throttling, the call after an expired iterator was replaced, an
 * SDK-internal retry of a client passed in) starts only when `wait()` says 0,
 * and marks its start with `take()`. Calls start at least `spacingMs` apart
 * and at most `perSecond` start in any sliding second (`CALL_WINDOW_MS`).
 */
export interface ShardCallGate {
  /** Milliseconds until the next call may start (0: now). */
  wait(): number;
  /** Marks that a call starts now. */
  take(): void;
  /** When the last call started (`-Infinity` before the first). */
  readonly lastStart: number;
}

/**
 * The call gate of one shard's reader: `spacingMs` between starts, at most
 * `perSecond` starts in any sliding second. Times come from
 * `scheduler.now()`, so it runs in virtual time under `TestScheduler`.
 *
 * ## Example
 * ```ts
 * import { callGate } from 'rx-kinesis';
 * const gate = callGate();
 * if (gate.wait() === 0) gate.take();
 * ```
 *
 * @param scheduler the clock
 * @param spacingMs least time between two starts; default 200
 * @param perSecond most starts in any window; default 5
 * @param windowMs the sliding window; default 1,000 ms
 * @returns the gate
 */
export function callGate(
  scheduler: SchedulerLike = asyncScheduler,
  spacingMs: number = MIN_GET_RECORDS_SPACING_MS,
  perSecond: number = MAX_GET_RECORDS_PER_SECOND,
  windowMs: number = CALL_WINDOW_MS,
): ShardCallGate {
  // The last `perSecond` starts, oldest first.
  const starts: number[] = [];
  return {
    get lastStart() {
      return starts.length === 0 ? -Infinity : (starts[starts.length - 1] as number);
    },
    wait() {
      if (starts.length === 0) return 0;
      const last = starts[starts.length - 1] as number;
      let due = last + spacingMs;
      if (starts.length >= perSecond) due = Math.max(due, (starts[0] as number) + windowMs);
      return Math.max(0, due - scheduler.now());
    },
    take() {
      starts.push(scheduler.now());
      if (starts.length > perSecond) starts.shift();
    },
  };
}
