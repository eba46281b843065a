import { type Observable, type SchedulerLike, Subject, asyncScheduler } from 'rxjs';
import type { FetchReport } from '../source/ShardReader.js';
import { type Metric, type MetricsRecorder, fetchMetrics } from './Metric.js';

/** A metrics hub: pass it as `metrics` to the source and sink configs, subscribe to `metrics`. */
export interface KinesisMetrics extends MetricsRecorder {
  /** Every measurement, as it is taken (hot: subscribe before starting the pipeline). */
  readonly metrics: Observable<Metric>;
  /** For the source config's `onFetch`: turns each fetch report into `source.*` metrics. */
  readonly onFetch: (report: FetchReport) => void;
  /** Counts one retry of a source call (`source.retries`). */
  retried(stream?: string, shardId?: string): void;
}

/**
 * Creates a metrics hub: an Observable of `Metric`s the user subscribes to,
 * fed by the source (`onFetch`: per shard millisBehindLatest, records and
 * bytes per fetch, fetch latency, sleep time) and by the sink (`next`: requests
 * in flight, records buffered, retries, backpressure time). Nothing is kept:
 * with no subscriber a measurement costs one function call.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, toKinesis, kinesisMetrics, logMetrics } from 'rx-kinesis';
 * const hub = kinesisMetrics();
 * hub.metrics.pipe(logMetrics({ intervalMs: 10_000 })).subscribe();
 * fromKinesis({ stream: 'orders', metrics: hub }).subscribe(toKinesis({ stream: 'copy', metrics: hub }));
 * ```
 *
 * @param scheduler clock for the `at` of source metrics; defaults to `asyncScheduler`
 */
export function kinesisMetrics(scheduler: SchedulerLike = asyncScheduler): KinesisMetrics {
  const subject = new Subject<Metric>();
  return {
    metrics: subject.asObservable(),
    next: (metric) => subject.next(metric),
    onFetch: (report) => {
      if (!subject.observed) return;
      for (const metric of fetchMetrics(report, scheduler.now())) subject.next(metric);
    },
    retried: (stream, shardId) =>
      subject.next({
        name: 'source.retries',
        value: 1,
        ...(stream !== undefined ? { stream } : {}),
        ...(shardId !== undefined ? { shardId } : {}),
        at: scheduler.now(),
      }),
  };
}
