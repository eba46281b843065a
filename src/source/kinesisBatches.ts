import {
  type Observable,
  type SchedulerLike,
  asyncScheduler,
  defer,
  finalize,
  mergeMap,
} from 'rxjs';
import { type CheckpointState, emptyCheckpointState } from '../checkpoint/CheckpointState.js';
import { loadCheckpoint } from '../checkpoint/loadCheckpoint.js';
import { pinStarts } from '../checkpoint/pinStarts.js';
import { addressStreamsByArn } from '../client/addressStreamsByArn.js';
import { createKinesisClient } from '../client/createKinesisClient.js';
import { sourceMetricHooks } from '../metrics/sourceMetricHooks.js';
import { assignShards, assignmentPredicate } from './assignShards.js';
import { discoverShards } from './discoverShards.js';
import { efoStrategy } from './efo/efoStrategy.js';
import { pausedReader } from './pausedReader.js';
import { pollingStrategy } from './pollingStrategy.js';
import { type ShardOutput, readShards } from './readShards.js';
import { type SourceConfig, resolveSourceConfig } from './SourceConfig.js';
import type { ReaderStrategy, ShardReader } from './ShardReader.js';

/**
 * The source as batches and shard events: the recipe behind `fromKinesis`
 * and `readKinesis`. Decodes the config at once (a `ConfigError` is thrown
 * here, before any request); on subscribe loads `checkpointStore` when given
 * (a `CheckpointLoadError` on failure, before any Kinesis request), pins the start of every stream the
 * checkpoint does not know (LATEST becomes AT_TIMESTAMP of now), then
 * discovers shards, keeps the assigned ones (or, with `leases`, the ones
 * this worker holds a lease of, read from their leases' checkpoints) and reads them parents first
 * with the configured reader strategy (each shard also paused by its own
 * `pausedFor(shard)` signal when given; fetches and retries reported to
 * `metrics` when given). Unsubscribing aborts every request,
 * stops every timer and destroys a client it created.
 *
 * ## Example
 * ```ts
 * import { kinesisBatches } from 'rx-kinesis';
 * kinesisBatches({ stream: 'orders', region: 'eu-west-1' })
 *   .subscribe((out) => 'records' in out && console.log(out.records.length));
 * ```
 *
 * @param config the source config
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns each shard's batches, framed by `shardStarted` / `shardFinished`
 */
export function kinesisBatches(
  config: SourceConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ShardOutput> {
  const source = resolveSourceConfig(config);
  const strategy: ReaderStrategy =
    source.recordPublisher === 'EFO'
      ? efoStrategy(source.efo)
      : pollingStrategy({ ...source.polling });
  const accepts =
    source.assignment !== undefined ? assignmentPredicate(source.assignment) : undefined;
  const { pausedFor, metrics, leases } = source;
  const hooks =
    metrics !== undefined ? sourceMetricHooks(metrics, scheduler, source.onFetch) : undefined;
  const onFetch = hooks !== undefined ? hooks.onFetch : source.onFetch;
  const discovery =
    hooks !== undefined
      ? { ...source.discovery, onRetry: hooks.onListShardsRetry }
      : source.discovery;
  const leasedOrNot = (reader: ShardReader): ShardReader =>
    leases !== undefined ? leases.leasedReader(reader) : reader;
  const byArn = Object.keys(source.streamArns).length > 0;
  const read = (resumed: CheckpointState | undefined): Observable<ShardOutput> => {
    const own = createKinesisClient(source.client);
    // streams given by ARN are addressed by StreamARN; everything else keeps their names
    const client = byArn ? addressStreamsByArn(own, source.streamArns) : own;
    const state = pinStarts(
      resumed ?? emptyCheckpointState(),
      source.streams,
      source.initialPosition,
      scheduler.now(),
    );
    return strategy
      .use(source.streams, client, scheduler, (reader) =>
        discoverShards(client, source.streams, discovery, scheduler).pipe(
          leases !== undefined
            ? leases.leaseShards({ streams: source.streams, starts: state.starts }, scheduler)
            : source.assignment !== undefined
              ? assignShards(source.assignment)
              : (shards) => shards,
          readShards({
            reader: leasedOrNot(pausedFor !== undefined ? pausedReader(reader, pausedFor) : reader),
            state,
            context: {
              client,
              scheduler,
              ...(source.paused !== undefined ? { paused: source.paused } : {}),
              ...(onFetch !== undefined ? { onFetch } : {}),
              ...(hooks !== undefined ? { onRetry: hooks.onRetry } : {}),
            },
            // With leases, children come from the table once their parents say SHARD_END.
            ...(leases !== undefined
              ? { accepts: () => false }
              : accepts !== undefined
                ? { accepts }
                : {}),
          }),
        ),
      )
      .pipe(
        finalize(() => {
          // A client we created is ours to close (sockets), so the process can exit.
          if (source.client.client === undefined) {
            (own as { destroy?: () => void }).destroy?.();
          }
        }),
      );
  };
  const { checkpointStore } = source;
  // The store is loaded on subscribe, before any Kinesis request (a failed load sends none).
  return checkpointStore !== undefined
    ? loadCheckpoint(checkpointStore).pipe(mergeMap(read))
    : defer(() => read(source.checkpoint));
}
