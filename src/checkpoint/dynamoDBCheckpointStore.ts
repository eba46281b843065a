import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as t from 'io-ts';
import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { integerIn, numberAtLeast } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import { createDynamoDBClient } from '../dynamodb/createDynamoDBClient.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { DynamoDBSettings } from '../dynamodb/DynamoDBSettings.js';
import { TableName } from '../dynamodb/TableName.js';
import { utf8Length } from '../kpl/utf8Length.js';
import { CheckpointLoadError, type CheckpointProblem } from './CheckpointLoadError.js';
import type { CheckpointState } from './CheckpointState.js';
import type { CheckpointLoadOptions, CheckpointStore } from './CheckpointStore.js';
import { CHECKPOINT_ATTRIBUTES as A, CheckpointTable } from './CheckpointTable.js';
import { CheckpointTooLargeError } from './CheckpointTooLargeError.js';
import { parseStoredCheckpoint } from './parseStoredCheckpoint.js';
import { StaleCheckpointError } from './StaleCheckpointError.js';

/** The largest DynamoDB item, in bytes (names and values counted). */
export const DYNAMODB_ITEM_LIMIT = 400 * 1024;

// What DynamoDB may count for a number attribute, at most.
const NUMBER_BYTES = 21;

/** The retry policy of checkpoint-table calls (throttling, 5xx, network). */
export const DEFAULT_CHECKPOINT_TABLE_BACKOFF: BackoffPolicy = {
  base: 100,
  max: 2000,
  expConst: 2,
  maxRetries: 8,
};

const CheckpointKey = new t.Type<string, string, unknown>(
  'a non-empty string of at most 2048 bytes',
  (u): u is string => typeof u === 'string' && u.length > 0 && utf8Length(u) <= 2048,
  (u, c) =>
    typeof u === 'string' && u.length > 0 && utf8Length(u) <= 2048 ? t.success(u) : t.failure(u, c),
  t.identity,
);

/**
 * The settings of `dynamoDBCheckpointStore`. Unknown keys are errors.
 *
 * - `tableName`: the table (created when missing, on-demand billing).
 * - `key`: the item of this reading (several readings may share a table, one key each).
 * - `dynamodb`: how to reach DynamoDB: `{ region?, endpoint?, credentials?, client?, httpProtocol?, trustAllCertificates? }`.
 * - `createTableIfMissing`: create a missing table (default true); false: a missing table is an error.
 * - `backoff`: the retry policy of table calls, a partial `{ base, max, expConst, maxRetries }`.
 */
export const DynamoDBCheckpointStoreSettings = strictObject(
  'DynamoDB checkpoint store settings { tableName, key, dynamodb, createTableIfMissing?, backoff? }',
  { tableName: TableName, key: CheckpointKey, dynamodb: DynamoDBSettings },
  {
    createTableIfMissing: t.boolean,
    backoff: strictObject(
      'a backoff policy { base, max, expConst, maxRetries }',
      {},
      {
        base: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
        max: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
        expConst: numberAtLeast('a number ≥ 1', 1),
        maxRetries: integerIn('a whole number of retries ≥ 0', 0, Number.MAX_SAFE_INTEGER),
      },
    ),
  },
);
/** What `dynamoDBCheckpointStore` accepts. */
export type DynamoDBCheckpointStoreSettings = t.TypeOf<typeof DynamoDBCheckpointStoreSettings>;

/** A checkpoint store in one DynamoDB item (see `dynamoDBCheckpointStore`). */
export interface DynamoDBCheckpointStore extends CheckpointStore {
  readonly tableName: string;
  readonly key: string;
  /** `DynamoDB table <tableName>, key <key>`. */
  readonly description: string;
  /** Destroys a DynamoDB client the store created (its sockets); a given `client` is left alone. */
  close(): void;
}

/** An Observable's last value as a Promise; aborting the signal unsubscribes (stops requests and retries). */
function settle<T>(source: Observable<T>, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    let last: T | undefined;
    const onAbort = (): void => {
      subscription.unsubscribe();
      reject(signal?.reason);
    };
    const subscription = source.subscribe({
      next: (value) => {
        last = value;
      },
      error: (error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
      complete: () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(last as T);
      },
    });
    if (!subscription.closed) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class DynamoDBStore implements DynamoDBCheckpointStore {
  readonly tableName: string;
  readonly key: string;
  readonly description: string;
  private client: DynamoDBPort | undefined;
  private ready = false;
  /** The counter this store last loaded or saved: 0 = nothing stored; undefined = not asked yet. */
  private counter: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: DynamoDBCheckpointStoreSettings,
    private readonly scheduler: SchedulerLike,
  ) {
    this.tableName = settings.tableName;
    this.key = settings.key;
    this.description = `DynamoDB table ${settings.tableName}, key ${settings.key}`;
  }

  private table(): CheckpointTable {
    this.client ??= createDynamoDBClient(this.settings.dynamodb);
    return new CheckpointTable(this.client, this.tableName, this.scheduler, {
      ...DEFAULT_CHECKPOINT_TABLE_BACKOFF,
      ...this.settings.backoff,
    });
  }

  private async ensure(table: CheckpointTable, signal?: AbortSignal): Promise<void> {
    if (this.ready) return;
    await settle(table.ensureTable(this.settings.createTableIfMissing ?? true), signal);
    this.ready = true;
  }

  // One call at a time per store, so the counter always matches what was last written.
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The counter and state text of an item, or the problems that make it unreadable. */
  private read(item: Record<string, AttributeValue>): { counter: number; text: string } {
    const problems: CheckpointProblem[] = [];
    const counterValue = item[A.counter];
    const counter = Number(counterValue?.N);
    if (counterValue?.N === undefined || !Number.isInteger(counter) || counter < 1) {
      problems.push({
        path: A.counter,
        value: counterValue,
        expected: 'a number attribute (N), a whole number ≥ 1',
      });
    }
    const text = item[A.state]?.S;
    if (text === undefined) {
      problems.push({
        path: A.state,
        value: item[A.state],
        expected: 'a string attribute (S) holding the state as JSON',
      });
    }
    if (problems.length > 0) throw new CheckpointLoadError(this.description, problems);
    return { counter, text: text as string };
  }

  load(options?: CheckpointLoadOptions): Promise<CheckpointState | undefined> {
    const signal = options?.abortSignal;
    return this.serialized(async () => {
      const table = this.table();
      let item: Record<string, AttributeValue> | undefined;
      try {
        await this.ensure(table, signal);
        item = await settle(table.get(this.key), signal);
      } catch (error) {
        if (signal?.aborted === true) throw error;
        throw new CheckpointLoadError(this.description, [], error);
      }
      if (item === undefined) {
        this.counter = 0;
        return undefined;
      }
      const { counter, text } = this.read(item);
      const state = parseStoredCheckpoint(text, this.description);
      this.counter = counter;
      return state;
    });
  }

  save(state: CheckpointState): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify({ version: state.version, starts: state.starts, shards: state.shards });
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.serialized(async () => {
      const expected = this.counter ?? 0;
      const counter = expected + 1;
      const bytes =
        A.key.length +
        utf8Length(this.key) +
        A.state.length +
        utf8Length(text) +
        A.counter.length +
        NUMBER_BYTES;
      if (bytes > DYNAMODB_ITEM_LIMIT) {
        throw new CheckpointTooLargeError(this.description, bytes, DYNAMODB_ITEM_LIMIT);
      }
      const table = this.table();
      await this.ensure(table);
      if (await settle(table.put(this.key, text, counter), undefined)) {
        this.counter = counter;
        return;
      }
      // A retry of a write that landed finds its own write: that is a success, not a stale store.
      const item = await settle(table.get(this.key), undefined);
      const found = item?.[A.counter]?.N;
      if (found === String(counter) && item?.[A.state]?.S === text) {
        this.counter = counter;
        return;
      }
      throw new StaleCheckpointError(
        this.tableName,
        this.key,
        expected,
        found === undefined ? undefined : Number(found),
      );
    });
  }

  close(): void {
    if (this.settings.dynamodb.client === undefined) {
      (this.client as { destroy?: () => void } | undefined)?.destroy?.();
      this.client = undefined;
    }
  }
}

/**
 * A checkpoint store in one DynamoDB item: for one process reading a
 * stream, with a guard against a second, stale writer (a restarted process
 * whose old self still runs, a deployment overlap). Browser-safe.
 *
 * - The table has the hash key `checkpointKey` (S); the item of `key` holds
 *   `checkpointState` (S, the state as JSON text) and `checkpointCounter`
 *   (N, 1 on the first save, one more on each). A missing table is created
 *   (on-demand billing) unless `createTableIfMissing` is false, then it is
 *   a `CheckpointTableError`.
 * - Writes are conditional: a store remembers the counter it loaded or last
 *   saved and writes only if the item still has it (or, if it found none,
 *   only if there is still none). When another writer saved in between, the
 *   save fails with `StaleCheckpointError` (`tableName`, `key`; under
 *   `persistCheckpoints`, the `cause` of its `CheckpointSaveError`) and the
 *   newer state stays. A save before any `load` writes only when nothing is
 *   stored.
 * - `load` is a consistent read; an item that does not decode is a
 *   `CheckpointLoadError` naming `DynamoDB table <t>, key <k>` and the path
 *   inside the value (`checkpointCounter`, `checkpointState`,
 *   `state.shards...`); nothing stored is `undefined`.
 * - A state over 400 KB (the item limit) is a `CheckpointTooLargeError`,
 *   before any request.
 * - Calls are retried (throttling, 5xx, network) with our full-jitter
 *   backoff on `scheduler`; a client the store creates does not retry in the
 *   SDK. A conditional write retried after its first attempt landed is
 *   recognised (same counter, same text) as a success.
 *
 * ## Example
 * ```ts
 * import { checkpoints, dynamoDBCheckpointStore, fromKinesis, persistCheckpoints } from 'rx-kinesis';
 * const store = dynamoDBCheckpointStore({
 *   tableName: 'checkpoints',
 *   key: 'orders-app',
 *   dynamodb: { region: 'eu-west-1' },
 * });
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', checkpointStore: store })
 *   .pipe(checkpoints(), persistCheckpoints(store))
 *   .subscribe();
 * ```
 *
 * @param settings table, key, DynamoDB settings, table creation, backoff
 * @param scheduler where retry delays and table polling run; defaults to `asyncScheduler`
 * @returns the store (throws `ConfigError` at once when a setting is wrong)
 */
export function dynamoDBCheckpointStore(
  settings: DynamoDBCheckpointStoreSettings,
  scheduler: SchedulerLike = asyncScheduler,
): DynamoDBCheckpointStore {
  return new DynamoDBStore(
    decodeConfig(DynamoDBCheckpointStoreSettings, settings, 'checkpointStore'),
    scheduler,
  );
}
