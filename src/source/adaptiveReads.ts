import { type OperatorFunction, scan } from 'rxjs';
import type { FetchReport } from './ShardReader.js';

/** Kinesis's read limit per shard: 2 MiB/s shared by all polling consumers. */
export const SHARD_READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
/** The most records one GetRecords returns. */
export const GET_RECORDS_MAX = 10_000;

/**
 * The GetRecords `Limit` that keeps one shard's reads at 2 MiB/s, given
 * what the last fetch brought and how long one loop (call + wait) took:
 * bytes per loop = 2 MiB / loops per second; records = bytes per loop /
 * average record size, between 1 and 10,000. Without records or time
 * to go by, the current limit stays (Flink's `AdaptivePollingRecordPublisher`).
 *
 * ## Example
 * ```ts
 * import { adaptiveBatchSize } from 'rx-kinesis';
 * adaptiveBatchSize({ records: 100, bytes: 100 * 1024, loopMs: 250 }, 10_000); // 512
 * ```
 *
 * @param observed records and bytes of the last fetch, and the loop's duration in ms
 * @param current the limit used so far
 * @returns the next limit
 */
export function adaptiveBatchSize(
  observed: { readonly records: number; readonly bytes: number; readonly loopMs: number },
  current: number,
): number {
  if (observed.records <= 0 || observed.loopMs <= 0 || observed.bytes <= 0) return current;
  const averageRecordBytes = observed.bytes / observed.records;
  const loopsPerSecond = 1000 / observed.loopMs;
  const bytesPerLoop = SHARD_READ_BYTES_PER_SECOND / loopsPerSecond;
  const records = Math.floor(bytesPerLoop / averageRecordBytes);
  return Math.max(1, Math.min(records, GET_RECORDS_MAX));
}

/**
 * Adaptive polling (Flink `scan.shard.adaptivereads`) for one shard: from
 * its fetch reports, the GetRecords `Limit` to use next (`adaptiveBatchSize`
 * with the loop time = latency + sleep of the fetch).
 *
 * ## Example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { adaptiveReads } from 'rx-kinesis';
 * const reports = new Subject<FetchReport>();
 * reports.pipe(adaptiveReads()).subscribe((limit) => console.log('next Limit', limit));
 * ```
 *
 * @param initial the limit before any report. Default 10,000.
 * @returns an operator from fetch reports to limits
 */
export function adaptiveReads(initial = GET_RECORDS_MAX): OperatorFunction<FetchReport, number> {
  return scan(
    (current, report: FetchReport) =>
      adaptiveBatchSize(
        { records: report.records, bytes: report.bytes, loopMs: report.latencyMs + report.sleepMs },
        current,
      ),
    initial,
  );
}
