import { Observable, type Subscription } from 'rxjs';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { ShardReader } from '../source/ShardReader.js';
import type { ShardBatch } from '../source/ShardEvent.js';
import type { LeaseSession } from './LeaseSession.js';

/**
 * A shard reader that reads only while the session holds the shard's lease
 * (see `LeaseCoordinator.leasedReader`). `sessionOf` answers the running
 * session when the reading starts.
 */
export function leasedReader(
  reader: ShardReader,
  sessionOf: () => LeaseSession | undefined,
): ShardReader {
  return (shard, start, context) =>
    new Observable<ShardBatch>((subscriber) => {
      const session = sessionOf();
      if (session === undefined) {
        subscriber.error(
          new Error(
            `no lease reading is running: use the coordinator's leaseShards operator before its leasedReader (shard "${shard.shardId}")`,
          ),
        );
        return undefined;
      }
      const key = session.keyOf(shard.stream, shard.shardId);
      let reading: Subscription | undefined;
      let finishing: Subscription | undefined;
      // Bumped whenever a reading stops, so callbacks of an old one are ignored.
      let generation = 0;
      const stop = (): void => {
        generation += 1;
        reading?.unsubscribe();
        reading = undefined;
        finishing?.unsubscribe();
        finishing = undefined;
      };
      const read = (): void => {
        const mine = ++generation;
        let children: readonly DiscoveredShard[] = [];
        const subscription = reader(shard, session.startOf(key, start), context).subscribe({
          next: (batch) => {
            if (batch.childShards !== undefined) children = batch.childShards;
            subscriber.next(batch);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (mine !== generation) return;
            reading = undefined;
            const ending = session.finish(key, children).subscribe({
              // false: the lease was lost meanwhile; the status says 'waiting', a retake reads again
              next: (written) => {
                if (written) subscriber.complete();
              },
              error: (error: unknown) => subscriber.error(error),
            });
            if (mine === generation && !ending.closed) finishing = ending;
          },
        });
        if (mine === generation && !subscription.closed) reading = subscription;
      };
      const status = session.statusOf(key).subscribe((value) => {
        if (value === 'held') {
          if (reading === undefined && finishing === undefined) read();
        } else if (value === 'waiting') {
          // Lost: stop at once; no fetch of this shard until it is retaken.
          stop();
        } else {
          stop();
          subscriber.complete();
        }
      });
      return () => {
        status.unsubscribe();
        stop();
      };
    });
}
