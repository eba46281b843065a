import * as t from 'io-ts';
import type { MetricsRecorder } from './Metric.js';

const isRecorder = (u: unknown): u is MetricsRecorder =>
  typeof u === 'object' && u !== null && typeof (u as { next?: unknown }).next === 'function';

/**
 * The `metrics` setting of the source and sink configs: anything with a
 * `next(metric)` method (`kinesisMetrics()`, an RxJS `Subject<Metric>`).
 *
 * ## Example
 * ```ts
 * import { MetricsRecorderCodec, kinesisMetrics } from 'rx-kinesis';
 * MetricsRecorderCodec.is(kinesisMetrics()); // true
 * ```
 */
export const MetricsRecorderCodec = new t.Type<MetricsRecorder, MetricsRecorder, unknown>(
  'a metrics recorder (an object with next(metric), e.g. kinesisMetrics() or a Subject)',
  isRecorder,
  (u, c) => (isRecorder(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
