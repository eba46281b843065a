// Barrel of src/metrics: re-exports only.
export type { Metric, MetricName, MetricsRecorder } from './Metric.js';
export { fetchMetrics } from './Metric.js';
export { kinesisMetrics } from './kinesisMetrics.js';
export type { KinesisMetrics } from './kinesisMetrics.js';
export { logMetrics } from './logMetrics.js';
export type { LogMetricsOptions, MetricSummary } from './logMetrics.js';
export { MetricsRecorderCodec } from './MetricsRecorderCodec.js';
export { sinkGauges } from './sinkGauges.js';
export type { SinkGauges } from './sinkGauges.js';
export { sourceMetricHooks } from './sourceMetricHooks.js';
export type { SourceMetricHooks } from './sourceMetricHooks.js';
