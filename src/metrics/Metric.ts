import type { FetchReport } from '../source/ShardReader.js';

/**
 * The metric names rx-kinesis reports. `source.*` come from every fetch
 * (GetRecords call or EFO event) of every shard; `sink.*` from the sink.
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
