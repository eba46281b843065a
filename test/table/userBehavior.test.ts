import { type KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { Subject, firstValueFrom, from, lastValueFrom, map, merge, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { avroFormat } from '../../src/format/avro/avroFormat.js';
import { type DeadLetter, RecordDecodeError } from '../../src/format/RecordDecodeError.js';
import type { KinesisRecord } from '../../src/record.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { defineTable } from '../../src/table/defineTable.js';
import type { TableDefinition } from '../../src/table/TableDefinition.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

/** The seed's CREATE TABLE KinesisTable (... ) PARTITIONED BY (user_id, item_id) WITH (...), as written. */
const USER_BEHAVIOR: TableDefinition = {
  name: 'KinesisTable',
  columns: [
    { name: 'user_id', type: 'BIGINT' },
    { name: 'item_id', type: 'BIGINT' },
    { name: 'category_id', type: 'BIGINT' },
    { name: 'behavior', type: 'STRING' },
    { name: 'ts', type: 'TIMESTAMP(3)' },
  ],
  partitionedBy: ['user_id', 'item_id'],
  options: {
    connector: 'kinesis',
    stream: 'user_behavior',
    'aws.region': 'us-east-2',
    'scan.stream.initpos': 'LATEST',
    format: 'csv',
  },
};

/** The seed's extended example, with the three metadata columns. */
const WITH_METADATA: TableDefinition = {
  ...USER_BEHAVIOR,
  columns: [
    ...USER_BEHAVIOR.columns,
    { name: 'arrival_time', type: 'TIMESTAMP(3)', metadata: 'timestamp', virtual: true },
    { name: 'shard_id', type: 'VARCHAR(128) NOT NULL', metadata: 'shard-id', virtual: true },
    {
      name: 'sequence_number',
      type: 'VARCHAR(128) NOT NULL',
      metadata: 'sequence-number',
      virtual: true,
    },
  ],
};

const record = (line: string, sequenceNumber: string): KinesisRecord => ({
  stream: 'user_behavior',
  shardId: 'shardId-000000000000',
  sequenceNumber,
  partitionKey: 'k',
  data: new TextEncoder().encode(line),
  approximateArrivalTimestamp: new Date('2024-01-01T00:00:01.500Z'),
});
const text = (data: Uint8Array | string): string =>
  typeof data === 'string' ? data : new TextDecoder().decode(data);

const ts = new Date('2024-03-04T05:06:07.089Z');
const row = { user_id: 1, item_id: 22, category_id: 333, behavior: 'buy', ts };

describe('the seed user_behavior table, from a JS object', () => {
  it('reads the WITH options as Flink does', () => {
    const table = defineTable(USER_BEHAVIOR);
    expect(table.name).toBe('KinesisTable');
    expect(table.stream).toBe('user_behavior');
    expect(table.format.name).toBe('csv');
    expect(table.sourceConfig).toMatchObject({
      stream: 'user_behavior',
      region: 'us-east-2',
      initialPosition: 'LATEST',
    });
    expect(table.sinkConfig).toMatchObject({ stream: 'user_behavior', region: 'us-east-2' });
    expect(table.warnings).toEqual([]);
  });

  it('writes rows as csv with the PARTITIONED BY key (user_id|item_id)', () => {
    const table = defineTable(USER_BEHAVIOR);
    const input = table.toSinkInput(row);
    expect(text(input.data)).toBe('1,22,333,buy,2024-03-04 05:06:07.089');
    expect(input.partitionKey).toBe('1|22');
    const dashed = defineTable({
      ...USER_BEHAVIOR,
      options: { ...USER_BEHAVIOR.options, 'sink.partitioner-field-delimiter': '' },
    });
    expect(dashed.toSinkInput(row).partitionKey).toBe('122');
    expect(defineTable(USER_BEHAVIOR).toSinkInput({ ...row, item_id: null }).partitionKey).toBe(
      '1|null',
    );
  });

  it('reads rows with the read-only metadata columns', async () => {
    const table = defineTable(WITH_METADATA);
    const rows = await lastValueFrom(
      from([
        record('1,22,333,buy,2024-03-04 05:06:07.089', '100'),
        record('2,,,pv,2024-03-04T05:06:07Z', '101'),
      ]).pipe(table.decodeRecords(), toArray()),
    );
    expect(rows).toEqual([
      {
        ...row,
        arrival_time: new Date('2024-01-01T00:00:01.500Z'),
        shard_id: 'shardId-000000000000',
        sequence_number: '100',
      },
      {
        user_id: 2,
        item_id: null,
        category_id: null,
        behavior: 'pv',
        ts: new Date('2024-03-04T05:06:07.000Z'),
        arrival_time: new Date('2024-01-01T00:00:01.500Z'),
        shard_id: 'shardId-000000000000',
        sequence_number: '101',
      },
    ]);
    // metadata is read-only: it is not written
    expect(text(table.toSinkInput(rows[0] as never).data)).toBe(
      '1,22,333,buy,2024-03-04 05:06:07.089',
    );
  });

  it('a bad record names the record and the column', async () => {
    const table = defineTable(USER_BEHAVIOR);
    const error = await firstValueFrom(
      from([record('x,22,333,buy,2024-03-04 05:06:07.089', '7')]).pipe(table.decodeRecords()),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordDecodeError);
    expect(error).toMatchObject({
      field: 'user_id',
      sequenceNumber: '7',
      shardId: 'shardId-000000000000',
    });
    expect((error as Error).message).toContain(
      'field "user_id": expected a BIGINT (a safe integer) or null, got "x"',
    );
  });

  it('sink.partitioner with PARTITIONED BY is a configuration error, as in Flink', () => {
    expect(() =>
      defineTable({
        ...USER_BEHAVIOR,
        options: { ...USER_BEHAVIOR.options, 'sink.partitioner': 'random' },
      }),
    ).toThrowError(
      /sink\.partitioner: expected no sink\.partitioner: a table PARTITIONED BY \(user_id, item_id\)/,
    );
    const unpartitioned = defineTable({
      ...USER_BEHAVIOR,
      partitionedBy: [],
      options: { ...USER_BEHAVIOR.options, 'sink.partitioner': 'fixed' },
    });
    expect(unpartitioned.sinkConfig.partitioner).toBe('fixed');
    expect(unpartitioned.toSinkInput(row).partitionKey).toBeUndefined();
  });
});

describe('table definitions: rejections', () => {
  const bad = (definition: unknown): string => {
    try {
      defineTable(definition as TableDefinition);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };
  it('unknown SQL types, with a did-you-mean', () => {
    expect(
      bad({ ...USER_BEHAVIOR, columns: [{ name: 'a', type: 'BIGNT' }], partitionedBy: [] }),
    ).toContain('table.columns.0.type: expected a Flink SQL type');
    expect(
      bad({ ...USER_BEHAVIOR, columns: [{ name: 'a', type: 'BIGNT' }], partitionedBy: [] }),
    ).toContain('(did you mean "BIGINT"?)');
  });
  it('metadata that is not virtual, of the wrong type, or unknown', () => {
    const cols = USER_BEHAVIOR.columns;
    expect(
      bad({
        ...USER_BEHAVIOR,
        columns: [
          ...cols,
          { name: 'm', type: 'TIMESTAMP(3)', metadata: 'timestamp', virtual: false },
        ],
      }),
    ).toContain('table.columns.5.virtual: expected true: Kinesis metadata is read-only');
    expect(
      bad({
        ...USER_BEHAVIOR,
        columns: [...cols, { name: 'm', type: 'BIGINT', metadata: 'shard-id' }],
      }),
    ).toContain('table.columns.5.type: expected VARCHAR(128) (or STRING) for metadata shard-id');
    expect(
      bad({
        ...USER_BEHAVIOR,
        columns: [...cols, { name: 'm', type: 'STRING', metadata: 'partition-key' }],
      }),
    ).toContain('table.columns.5.metadata: expected one of timestamp, shard-id, sequence-number');
  });
  it('PARTITIONED BY an unknown or metadata column; duplicate columns; unknown definition keys', () => {
    expect(bad({ ...USER_BEHAVIOR, partitionedBy: ['userid'] })).toContain(
      'table.partitionedBy.0: expected a physical column (did you mean "user_id"?)',
    );
    expect(bad({ ...WITH_METADATA, partitionedBy: ['shard_id'] })).toContain(
      'expected a physical column (not a metadata column)',
    );
    expect(
      bad({
        ...USER_BEHAVIOR,
        columns: [...USER_BEHAVIOR.columns, { name: 'ts', type: 'STRING' }],
      }),
    ).toContain('table.columns.5.name');
    expect(bad({ ...USER_BEHAVIOR, partitionBy: ['user_id'] })).toContain(
      'table.partitionBy: expected no such key (did you mean "partitionedBy"?)',
    );
  });
  it('format constraints: raw needs one column, avro needs its factory, parse errors are never ignored', () => {
    const opts = USER_BEHAVIOR.options;
    expect(bad({ ...USER_BEHAVIOR, options: { ...opts, format: 'raw' } })).toContain(
      'exactly one physical column for raw',
    );
    expect(bad({ ...USER_BEHAVIOR, options: { ...opts, format: 'avro' } })).toContain(
      "import { avroFormat } from 'rx-kinesis/avro'",
    );
    expect(
      bad({
        ...USER_BEHAVIOR,
        options: { ...opts, format: 'json', 'json.ignore-parse-errors': 'true' },
      }),
    ).toContain('json.ignore-parse-errors: expected false: records are never dropped silently');
    expect(
      bad({ ...USER_BEHAVIOR, options: { ...opts, 'csv.ignore-parse-errors': 'true' } }),
    ).toContain('csv.ignore-parse-errors');
    expect(bad({ ...USER_BEHAVIOR, options: { ...opts, 'scan.stream.initpos': 'NOW' } })).toContain(
      'scan.stream.initpos: expected one of',
    );
  });
});

describe('table formats', () => {
  it('json: timestamps as SQL text (or ISO-8601), missing nullable fields read as null', () => {
    const json = defineTable({
      ...USER_BEHAVIOR,
      options: { ...USER_BEHAVIOR.options, format: 'json' },
    });
    const encoded = text(json.toSinkInput(row).data);
    expect(JSON.parse(encoded)).toEqual({
      user_id: 1,
      item_id: 22,
      category_id: 333,
      behavior: 'buy',
      ts: '2024-03-04 05:06:07.089',
    });
    expect(
      json.format
        .bind(json.physicalCodec)
        .decode(new TextEncoder().encode('{"user_id":5,"ts":"2024-03-04 05:06:07.089"}')),
    ).toEqual({
      _tag: 'Right',
      right: { user_id: 5, item_id: null, category_id: null, behavior: null, ts },
    });
    const iso = defineTable({
      ...USER_BEHAVIOR,
      options: {
        ...USER_BEHAVIOR.options,
        format: 'json',
        'json.timestamp-format.standard': 'ISO-8601',
      },
    });
    expect(JSON.parse(text(iso.toSinkInput(row).data)).ts).toBe('2024-03-04T05:06:07.089Z');
    const strict = defineTable({
      ...USER_BEHAVIOR,
      options: { ...USER_BEHAVIOR.options, format: 'json', 'json.fail-on-missing-field': 'true' },
    });
    expect(
      strict.format.bind(strict.physicalCodec).decode(new TextEncoder().encode('{"user_id":5}'))
        ._tag,
    ).toBe('Left');
  });

  it('avro: schema derived from the columns, round trip', () => {
    const table = defineTable(
      { ...USER_BEHAVIOR, options: { ...USER_BEHAVIOR.options, format: 'avro' } },
      { avro: avroFormat },
    );
    const codec = table.format.bind(table.physicalCodec);
    const decoded = codec.decode(table.toSinkInput(row).data as Uint8Array);
    expect(decoded._tag === 'Right' && { ...decoded.right }).toEqual(row);
  });

  it('raw: one STRING column', () => {
    const table = defineTable({
      columns: [{ name: 'line', type: 'STRING' }],
      options: { ...USER_BEHAVIOR.options, format: 'raw' },
    });
    expect(text(table.toSinkInput({ line: 'hello, world' }).data)).toBe('hello, world');
  });
});

describe('the seed table against kinesis-local', () => {
  const kinesis = useKinesisLocal();

  it('rows written through the table sink come back from the table source, with metadata and keys', async () => {
    const credentials = freshCredentials();
    const admin: KinesisClient = kinesis.client(credentials);
    await kinesis.createStream(admin, 'user_behavior', 2);
    const options = {
      ...WITH_METADATA.options,
      // kinesis-local keeps streams per region; the emulator helper's client uses us-east-1
      'aws.region': 'us-east-1',
      'aws.endpoint': kinesis.endpoint,
      'aws.credentials.provider': 'BASIC',
      'aws.credentials.basic.accesskeyid': credentials.accessKeyId,
      'aws.credentials.basic.secretkey': credentials.secretAccessKey,
      'scan.stream.initpos': 'TRIM_HORIZON',
      'sink.flush-buffer.timeout': '10',
    };
    const table = defineTable({ ...WITH_METADATA, options });
    const written = Array.from({ length: 20 }, (_, i) => ({
      ...row,
      user_id: i,
      item_id: i * 10,
      behavior: i % 2 === 0 ? 'pv' : 'buy, "cart"',
    }));
    const sink = table.sink();
    from(written).subscribe(sink);
    await sink.done;
    // a record that is not csv goes to the dead letter output, not lost
    await admin.send(
      new PutRecordCommand({
        StreamName: 'user_behavior',
        PartitionKey: 'x',
        Data: new TextEncoder().encode('garbage'),
      }),
    );
    const deadLetter = new Subject<DeadLetter>();
    const both = await lastValueFrom(
      merge(
        table.source({ deadLetter }).pipe(map((r) => ({ row: r }))),
        deadLetter.pipe(map((letter) => ({ letter }))),
      ).pipe(take(21), toArray()),
    );
    const rows = both.flatMap((x) => ('row' in x ? [x.row] : []));
    const letters = both.flatMap((x) => ('letter' in x ? [x.letter] : []));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.error.message).toMatch(
      /^cannot decode csv record at stream "user_behavior" shard "shardId-\d+" sequence number \d+: record: expected 5 fields/,
    );
    expect(rows.map((r) => r.user_id).sort((a, b) => Number(a) - Number(b))).toEqual(
      written.map((r) => r.user_id),
    );
    for (const r of rows) {
      expect(r).toMatchObject(written.find((w) => w.user_id === r.user_id) ?? {});
      expect(r.shard_id).toMatch(/^shardId-/);
      expect(typeof r.sequence_number).toBe('string');
      expect(r.arrival_time).toBeInstanceOf(Date);
    }
    const keys = await lastValueFrom(
      fromKinesis({
        stream: 'user_behavior',
        endpoint: kinesis.endpoint,
        region: 'us-east-1',
        credentials,
        initialPosition: 'TRIM_HORIZON',
      }).pipe(take(21), toArray()),
    );
    expect(keys.map((r) => r.partitionKey)).toContain('3|30');
  });
});
