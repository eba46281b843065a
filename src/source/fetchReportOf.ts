import type { _Record } from '@aws-sdk/client-kinesis';
import type { FetchReport } from './ShardReader.js';

/**
 * What one fetch brought and cost, for `ShardReaderContext.onFetch`: shared
 * by the polling and the enhanced fan-out readers. `bytes` counts the raw
 * records' data as Kinesis returned it (before de-aggregation).
 */
export function fetchReportOf(
  shard: { readonly stream: string; readonly shardId: string },
  raws: readonly _Record[],
  records: number,
  millisBehindLatest: number | undefined,
  latencyMs: number,
  sleepMs: number,
): FetchReport {
  let bytes = 0;
  for (const raw of raws) bytes += raw.Data?.length ?? 0;
  return {
    stream: shard.stream,
    shardId: shard.shardId,
    records,
    bytes,
    ...(millisBehindLatest !== undefined ? { millisBehindLatest } : {}),
    latencyMs,
    sleepMs,
  };
}
