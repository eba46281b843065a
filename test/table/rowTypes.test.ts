import type { ObservedValueOf } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineTable } from '../../src/table/defineTable.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const table = defineTable({
  name: 'KinesisTable',
  columns: [
    { name: 'user_id', type: 'BIGINT' },
    { name: 'behavior', type: 'STRING NOT NULL' },
    { name: 'score', type: 'decimal(10, 2)' },
    { name: 'ts', type: 'TIMESTAMP(3)' },
    { name: 'ok', type: 'BOOLEAN NOT NULL' },
    { name: 'raw', type: 'VARBINARY' },
    { name: 'arrival_time', type: 'TIMESTAMP(3)', metadata: 'timestamp', virtual: true },
    { name: 'shard_id', type: 'VARCHAR(128) NOT NULL', metadata: 'shard-id', virtual: true },
  ],
  partitionedBy: ['user_id'],
  options: { connector: 'kinesis', stream: 'events', 'aws.region': 'us-east-1', format: 'json' },
});

describe('table row types come from the column definitions', () => {
  it('reads rows typed per column (nullability from NOT NULL), metadata columns included', () => {
    type Row = ObservedValueOf<ReturnType<typeof table.source>>;
    expectTypeOf<Row['user_id']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['behavior']>().toEqualTypeOf<string>();
    expectTypeOf<Row['score']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['ts']>().toEqualTypeOf<Date | null>();
    expectTypeOf<Row['ok']>().toEqualTypeOf<boolean>();
    expectTypeOf<Row['raw']>().toEqualTypeOf<Uint8Array | null>();
    expectTypeOf<Row['arrival_time']>().toEqualTypeOf<Date | null>();
    expectTypeOf<Row['shard_id']>().toEqualTypeOf<string>();
    const read = (row: Row): unknown =>
      // @ts-expect-error no such column
      row.nope;
    expect(typeof read).toBe('function');
  });

  it('writes rows of the physical columns only, each with its own type', async () => {
    const client = new FakeKinesis();
    client.createStream('events', 1);
    const sink = table.sink({ overrides: { client } });
    const row = { user_id: 1, behavior: 'buy', score: 2.5, ts: new Date(0), ok: true, raw: null };
    sink.next(row);
    // @ts-expect-error user_id is a BIGINT, not a string
    sink.next({ ...row, user_id: 'not a number' });
    // @ts-expect-error behavior is NOT NULL
    sink.next({ ...row, behavior: null });
    // @ts-expect-error a column the table does not have
    sink.next({ ...row, nope: 1 });
    // @ts-expect-error a metadata column is read-only: not part of what is written
    sink.next({ ...row, shard_id: 'shardId-000000000000' });
    sink.abort();
    await expect(sink.done).rejects.toMatchObject({ name: 'SinkAbortedError' });
  });

  it('a definition built at run time (names not literal) keeps the loose row type', () => {
    const columns: Array<{ name: string; type: string }> = [{ name: 'a', type: 'STRING' }];
    const loose = defineTable({
      columns,
      options: { connector: 'kinesis', stream: 's', 'aws.region': 'us-east-1', format: 'json' },
    });
    expectTypeOf(loose.toSinkInput)
      .parameter(0)
      .toEqualTypeOf<Record<string, string | number | boolean | Date | Uint8Array | null>>();
    expect(loose.toSinkInput({ a: 'x' }).data).toBeInstanceOf(Uint8Array);
  });
});
