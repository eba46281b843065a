import type { FetchReport } from '../source/ShardReader.js';

/**
 * The metric names rx-kinesis reports, to the `metrics` recorder of the
 * source config (`fromKinesis` / `readKinesis`) and of the sink config
 * (`toKinesis` / `writeToKinesis`). Values are numbers; `at` is the
 * scheduler's time.
 *
 * Source, per shard (`stream`, `shardId` set), once per fetch (a GetRecords
 * call or an EFO event):
 * - `source.millisBehindLatest`: how far the fetch was behind the tip, ms
 *   (when Kinesis said).
 * - `source.recordsPerFetch`: records the fetch brought (before de-aggregation).
 * - `source.bytesPerFetch`: bytes of their data.
 * - `source.fetchLatencyMs`: time the request took.
 * - `source.sleepMs`: time waited before the fetch (interval or pause).
 * - `source.retries`: 1 per retried call (GetRecords, GetShardIterator,
 *   SubscribeToShard, ListShards); ListShards of discovery has only `stream`.
 *
 * Sink (never per record):
 * - `sink.requestsInFlight`: PutRecords requests in flight (retry waits
 *   included), each time it changes.
 * - `sink.recordsBuffered`: records accepted and not yet acknowledged, when
 *   it changed, checked per batch and per request.
 * - `sink.retries`: per retried request, the entries it sends again (`stream` set).
 * - `sink.backpressureMs`: when a pause ends (the sink held
 *   `requests.maxBuffered` records), how long it lasted.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, toKinesis, kinesisMetrics, logMetrics } from 'rx-kinesis';
 * const hub = kinesisMetrics();
 * hub.metrics.pipe(logMetrics()).subscribe();
 * fromKinesis({ stream: 'a', metrics: hub }).subscribe(toKinesis({ stream: 'b', metrics: hub }));
 * ```
 */
export type MetricName =
  | 'source.millisBehindLatest'
  | 'source.recordsPerFetch'
  | 'source.bytesPerFetch'
  | 'source.fetchLatencyMs'
  | 'source.sleepMs'
  | 'source.retries'
  | 'sink.requestsInFlight'
  | 'sink.recordsBuffered'
  | 'sink.retries'
  | 'sink.backpressureMs';

/** One measurement: a name, a number, where it was taken (stream, shard) and when (scheduler time). */
export interface Metric {
  readonly name: MetricName;
  readonly value: number;
  readonly stream?: string;
  readonly shardId?: string;
  /** Scheduler time of the measurement, ms. */
  readonly at: number;
}

/**
 * Where the source and sink put their measurements: anything with `next`
 * (an RxJS `Subject<Metric>` is one). Both configs accept it as `metrics`.
 */
export interface MetricsRecorder {
  next(metric: Metric): void;
}

/** The metrics of one fetch report (one per field present). */
export function fetchMetrics(report: FetchReport, at: number): Metric[] {
  const where = { stream: report.stream, shardId: report.shardId, at };
  const out: Metric[] = [
    { name: 'source.recordsPerFetch', value: report.records, ...where },
    { name: 'source.bytesPerFetch', value: report.bytes, ...where },
    { name: 'source.fetchLatencyMs', value: report.latencyMs, ...where },
    { name: 'source.sleepMs', value: report.sleepMs, ...where },
  ];
  if (report.millisBehindLatest !== undefined)
    out.push({ name: 'source.millisBehindLatest', value: report.millisBehindLatest, ...where });
  return out;
}
