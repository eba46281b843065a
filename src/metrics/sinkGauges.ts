import { type Observable, type SchedulerLike, defer, finalize } from 'rxjs';
import type { MetricsRecorder } from './Metric.js';

/** What the sink tells its metrics, once per request, batch or pause (never per record). */
export interface SinkGauges {
  /** Counts `request` in flight from subscription to its end (`sink.requestsInFlight`). */
  track<T>(request: Observable<T>): Observable<T>;
  /** The records now buffered; reported only when it changed (`sink.recordsBuffered`). */
  buffered(count: number): void;
  /** A request to `stream` is sent again with `entries` entries (`sink.retries`). */
  retried(stream: string, entries: number): void;
  /** The sink became full (`true`) or has room again (`false`): a pause's length (`sink.backpressureMs`). */
  full(isFull: boolean): void;
}

/**
 * The sink's gauges for one subscription: turns what the sink does into
 * `sink.*` metrics on `recorder`, timed by `scheduler`. `writeToKinesis`
 * makes one only when its config has `metrics`, so without a recorder
 * nothing is counted.
 *
 * ## Example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { sinkGauges, type Metric } from 'rx-kinesis';
 * const gauges = sinkGauges(new Subject<Metric>(), asyncScheduler);
 * gauges.buffered(42); // sink.recordsBuffered 42
 * ```
 *
 * @param recorder where metrics go
 * @param scheduler clock for each metric's `at` and for pause lengths
 */
export function sinkGauges(recorder: MetricsRecorder, scheduler: SchedulerLike): SinkGauges {
  let inFlight = 0;
  let lastBuffered = 0;
  let fullSince: number | undefined;
  const requests = (delta: number): void => {
    inFlight += delta;
    recorder.next({ name: 'sink.requestsInFlight', value: inFlight, at: scheduler.now() });
  };
  return {
    track: (request) =>
      defer(() => {
        requests(1);
        return request.pipe(finalize(() => requests(-1)));
      }),
    buffered: (count) => {
      if (count === lastBuffered) return;
      lastBuffered = count;
      recorder.next({ name: 'sink.recordsBuffered', value: count, at: scheduler.now() });
    },
    retried: (stream, entries) =>
      recorder.next({ name: 'sink.retries', value: entries, stream, at: scheduler.now() }),
    full: (isFull) => {
      const now = scheduler.now();
      if (isFull) {
        fullSince = now;
        return;
      }
      if (fullSince === undefined) return;
      recorder.next({ name: 'sink.backpressureMs', value: now - fullSince, at: now });
      fullSince = undefined;
    },
  };
}
