import { type OperatorFunction, type SchedulerLike, Observable, asyncScheduler } from 'rxjs';
import type { Metric, MetricName } from './Metric.js';

/** What `logMetrics` reports per metric name and shard for one interval. */
export interface MetricSummary {
  readonly name: MetricName;
  readonly stream?: string;
  readonly shardId?: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly last: number;
}

/** Settings of `logMetrics`. */
export interface LogMetricsOptions {
  /** Summary period. Default 10,000 ms. */
  readonly intervalMs?: number;
  /** Where lines go. Default `console.log`. */
  readonly log?: (line: string) => void;
}

/**
 * Summarises metrics every `intervalMs` per name and shard (count, sum, min,
 * max, last), logs one line per summary, and emits the summaries. An
 * interval without metrics logs nothing; completion logs what is pending.
 *
 * ## Example
 * ```ts
 * import { kinesisMetrics, logMetrics } from 'rx-kinesis';
 * const hub = kinesisMetrics();
 * hub.metrics.pipe(logMetrics({ intervalMs: 5_000 })).subscribe();
 * // source.millisBehindLatest orders/shardId-000000000000 n=25 avg=0 max=0 last=0
 * ```
 *
 * @param options interval and logger
 * @param scheduler where the interval runs; defaults to `asyncScheduler`
 */
export function logMetrics(
  options: LogMetricsOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<Metric, MetricSummary[]> {
  const intervalMs = options.intervalMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  return (source) =>
    new Observable<MetricSummary[]>((subscriber) => {
      let pending = new Map<string, { -readonly [K in keyof MetricSummary]: MetricSummary[K] }>();
      const flush = (): void => {
        if (pending.size === 0) return;
        const summaries = [...pending.values()];
        pending = new Map();
        try {
          for (const s of summaries) {
            const where = s.stream === undefined ? '' : ` ${s.stream}/${s.shardId ?? '*'}`;
            log(
              `${s.name}${where} n=${s.count} avg=${round(s.sum / s.count)} min=${s.min} max=${s.max} last=${s.last}`,
            );
          }
        } catch (error) {
          // `log` runs in a timer or a plain observer: the error channel, or it would be uncaught
          subscriber.error(error);
          return;
        }
        subscriber.next(summaries);
      };
      subscriber.add(
        scheduler.schedule(function tick() {
          flush();
          this.schedule(undefined, intervalMs);
        }, intervalMs),
      );
      subscriber.add(
        source.subscribe({
          next: (metric) => {
            const key = `${metric.name}|${metric.stream ?? ''}|${metric.shardId ?? ''}`;
            const entry = pending.get(key);
            if (entry === undefined) {
              pending.set(key, {
                name: metric.name,
                ...(metric.stream !== undefined ? { stream: metric.stream } : {}),
                ...(metric.shardId !== undefined ? { shardId: metric.shardId } : {}),
                count: 1,
                sum: metric.value,
                min: metric.value,
                max: metric.value,
                last: metric.value,
              });
              return;
            }
            entry.count += 1;
            entry.sum += metric.value;
            if (metric.value < entry.min) entry.min = metric.value;
            if (metric.value > entry.max) entry.max = metric.value;
            entry.last = metric.value;
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            flush();
            if (subscriber.closed) return;
            subscriber.complete();
          },
        }),
      );
    });
}

const round = (n: number): number => Math.round(n * 100) / 100;
