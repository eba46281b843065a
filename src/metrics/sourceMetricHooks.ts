import type { SchedulerLike } from 'rxjs';
import type { FetchReport } from '../source/ShardReader.js';
import { type MetricsRecorder, fetchMetrics } from './Metric.js';

/** The source's hooks when metrics are on: per fetch, per retried call, per retried ListShards. */
export interface SourceMetricHooks {
  readonly onFetch: (report: FetchReport) => void;
  readonly onRetry: (operation: string, stream: string, shardId: string) => void;
  readonly onListShardsRetry: (stream: string) => void;
}

/**
 * The hooks through which the source feeds a `MetricsRecorder`: every
 * fetch report becomes its `source.*` metrics (after the user's own
 * `onFetch`, if any), every retried call one `source.retries` of value 1.
 * The source only asks for these when a recorder is configured, so without
 * one nothing is measured at all.
 *
 * ## Example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { sourceMetricHooks, type Metric } from 'rx-kinesis';
 * const hooks = sourceMetricHooks(new Subject<Metric>(), asyncScheduler);
 * ```
 *
 * @param recorder where metrics go
 * @param scheduler clock for each metric's `at`
 * @param onFetch the user's own fetch hook, called first
 */
export function sourceMetricHooks(
  recorder: MetricsRecorder,
  scheduler: SchedulerLike,
  onFetch?: (report: FetchReport) => void,
): SourceMetricHooks {
  return {
    onFetch: (report) => {
      onFetch?.(report);
      for (const metric of fetchMetrics(report, scheduler.now())) recorder.next(metric);
    },
    onRetry: (_operation, stream, shardId) =>
      recorder.next({ name: 'source.retries', value: 1, stream, shardId, at: scheduler.now() }),
    onListShardsRetry: (stream) =>
      recorder.next({ name: 'source.retries', value: 1, stream, at: scheduler.now() }),
  };
}
