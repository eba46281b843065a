import type { _Record } from '@aws-sdk/client-kinesis';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregatedEntry } from '../../src/kpl/AggregatedRecordBuilder.js';
import { decodeAggregatedRecord } from '../../src/kpl/decodeAggregatedRecord.js';
import { encodeAggregatedRecord } from '../../src/kpl/encodeAggregatedRecord.js';
import { type RawRecord, type UserRecord, deaggregate } from '../../src/source/deaggregate.js';
import { ShardRecordBuilder } from '../../src/source/ShardRecordBuilder.js';
import { shardRecordPrototype } from '../../src/source/shardContext.js';
import { fuzzParameters } from './fuzzParameters.js';

const MAGIC = [0xf3, 0x89, 0x9a, 0xc2];

function collect(raw: RawRecord): UserRecord[] {
  const out: UserRecord[] = [];
  deaggregate(raw, (r) => out.push(r));
  return out;
}

/** magic + protobuf + MD5(protobuf): what an aggregate with these protobuf bytes looks like. */
function signed(protobuf: Uint8Array): Uint8Array {
  return Uint8Array.from([...MAGIC, ...protobuf, ...createHash('md5').update(protobuf).digest()]);
}

const rawOf = (data: Uint8Array): RawRecord => ({
  sequenceNumber: '42',
  partitionKey: 'outer',
  data,
});

/** Passes through whole: one record, the very object given (same bytes, no sub-sequence number). */
function expectPassThrough(raw: RawRecord): void {
  const out = collect(raw);
  expect(out).toHaveLength(1);
  expect(out[0]).toBe(raw);
  expect(decodeAggregatedRecord(raw.data)).toBeUndefined();
}

/** Either the record whole, or sub-records 0..n-1 (n ≥ 1) whose data lie inside the blob. */
function expectWholeOrSubRecords(raw: RawRecord): void {
  const out = collect(raw);
  expect(out.length).toBeGreaterThan(0);
  if (out[0] === raw) {
    expect(out).toHaveLength(1);
    return;
  }
  out.forEach((record, i) => {
    expect(record.subSequenceNumber).toBe(i);
    expect(typeof record.partitionKey).toBe('string');
    expect(record.data.buffer).toBe(raw.data.buffer);
  });
}

const entryArb: fc.Arbitrary<AggregatedEntry> = fc.record(
  {
    partitionKey: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    explicitHashKey: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }).map(String),
    data: fc.uint8Array({ maxLength: 64 }),
  },
  { requiredKeys: ['partitionKey', 'data'] },
);
/** Few distinct keys, so key tables are shared between entries. */
const entriesArb = fc.array(
  fc.oneof(
    entryArb,
    fc.constantFrom<AggregatedEntry>({ partitionKey: 'k', data: Uint8Array.of(7) }),
  ),
  { minLength: 1, maxLength: 20 },
);

// --- hand-built protobufs (independent of the encoder) for the mutations the encoder cannot make

function varint(value: bigint): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}
const key = (field: number, wire: number): number[] => varint(BigInt((field << 3) | wire));
const lengthDelimited = (field: number, body: number[]): number[] => [
  ...key(field, 2),
  ...varint(BigInt(body.length)),
  ...body,
];
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

interface HandRecord {
  readonly pkIndex?: bigint;
  readonly ehkIndex?: bigint;
  readonly data?: number[];
}
function handAggregate(pks: string[], ehks: string[], records: HandRecord[]): Uint8Array {
  const protobuf: number[] = [];
  for (const pk of pks) protobuf.push(...lengthDelimited(1, text(pk)));
  for (const ehk of ehks) protobuf.push(...lengthDelimited(2, text(ehk)));
  for (const r of records) {
    const body: number[] = [];
    if (r.pkIndex !== undefined) body.push(...key(1, 0), ...varint(r.pkIndex));
    if (r.ehkIndex !== undefined) body.push(...key(2, 0), ...varint(r.ehkIndex));
    if (r.data !== undefined) body.push(...lengthDelimited(3, r.data));
    protobuf.push(...lengthDelimited(3, body));
  }
  return signed(Uint8Array.from(protobuf));
}

describe('fuzz: KPL de-aggregation', () => {
  it('passes random bytes through whole, never throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const raw = rawOf(data);
        const out = collect(raw);
        expect(out).toEqual([raw]);
        expect(out[0]).toBe(raw);
      }),
      fuzzParameters(0x6b706c01, 300),
    );
  });

  it('passes random bytes behind the KPL magic through whole (the MD5 cannot match)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        expectPassThrough(rawOf(Uint8Array.from([...MAGIC, ...body])));
      }),
      fuzzParameters(0x6b706c02, 300),
    );
  });

  it('never throws on random protobuf bytes with a correct MD5: whole, or sub-records 0..n-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (protobuf) => {
        expectWholeOrSubRecords(rawOf(signed(protobuf)));
      }),
      fuzzParameters(0x6b706c03, 400),
    );
  });

  it('round-trips valid aggregates: records, keys, explicit hash keys, sub-sequence numbers in order', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const out = collect(rawOf(encodeAggregatedRecord(entries)));
        expect(
          out.map((r) => ({
            partitionKey: r.partitionKey,
            explicitHashKey: r.explicitHashKey,
            data: Array.from(r.data),
            subSequenceNumber: r.subSequenceNumber,
          })),
        ).toEqual(
          entries.map((e, i) => ({
            partitionKey: e.partitionKey,
            explicitHashKey: e.explicitHashKey,
            data: Array.from(e.data),
            subSequenceNumber: i,
          })),
        );
      }),
      fuzzParameters(0x6b706c04, 200),
    );
  });

  it('builds shard records from valid aggregates in order, each with the raw sequence number', () => {
    const rawArb = fc.array(
      fc.oneof(
        entriesArb.map((entries) => ({ entries, data: encodeAggregatedRecord(entries) })),
        fc.uint8Array({ maxLength: 40 }).map((data) => ({ entries: undefined, data })),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(rawArb, (raws) => {
        const builder = new ShardRecordBuilder(
          's',
          'shardId-0',
          shardRecordPrototype({ parentShardIds: [] }),
          {
            type: 'TRIM_HORIZON',
          },
        );
        const arrival = new Date(0);
        const records: _Record[] = raws.map((r, i) => ({
          SequenceNumber: String(1000 + i),
          PartitionKey: 'outer',
          Data: r.data,
          ApproximateArrivalTimestamp: arrival,
        }));
        const built = builder.toRecords(records, 5);
        const expected = raws.flatMap(
          (
            r,
            i,
          ): Array<{
            sequenceNumber: string;
            subSequenceNumber: number | undefined;
            partitionKey: string;
            data: number[];
          }> =>
            r.entries === undefined
              ? [
                  {
                    sequenceNumber: String(1000 + i),
                    subSequenceNumber: undefined,
                    partitionKey: 'outer',
                    data: Array.from(r.data),
                  },
                ]
              : r.entries.map((e, sub) => ({
                  sequenceNumber: String(1000 + i),
                  subSequenceNumber: sub,
                  partitionKey: e.partitionKey,
                  data: Array.from(e.data),
                })),
        );
        expect(
          built.map((b) => ({
            sequenceNumber: b.sequenceNumber,
            subSequenceNumber: b.subSequenceNumber,
            partitionKey: b.partitionKey,
            data: Array.from(b.data),
          })),
        ).toEqual(expected);
        expect(builder.lastSequenceNumber).toBe(
          raws.length === 0 ? undefined : String(999 + raws.length),
        );
      }),
      fuzzParameters(0x6b706c05, 100),
    );
  });

  it('a restore inside an aggregate emits only the sub-records after the stored one, then goes on', () => {
    fc.assert(
      fc.property(entriesArb, fc.integer({ min: -1, max: 22 }), (entries, after) => {
        const builder = new ShardRecordBuilder(
          's',
          'shardId-0',
          shardRecordPrototype({ parentShardIds: [] }),
          { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '7', afterSubSequenceNumber: after },
        );
        const arrival = new Date(0);
        const built = builder.toRecords(
          [
            {
              SequenceNumber: '7',
              PartitionKey: 'o',
              Data: encodeAggregatedRecord(entries),
              ApproximateArrivalTimestamp: arrival,
            },
            {
              SequenceNumber: '8',
              PartitionKey: 'o',
              Data: Uint8Array.of(1),
              ApproximateArrivalTimestamp: arrival,
            },
            {
              SequenceNumber: '9',
              PartitionKey: 'o',
              Data: encodeAggregatedRecord(entries),
              ApproximateArrivalTimestamp: arrival,
            },
          ],
          undefined,
        );
        const kept = entries.map((_, i) => i).filter((i) => i > after);
        expect(built.map((r) => [r.sequenceNumber, r.subSequenceNumber])).toEqual([
          ...kept.map((i) => ['7', i]),
          ['8', undefined],
          ...entries.map((_, i) => ['9', i]),
        ]);
      }),
      fuzzParameters(0x6b706c09, 150),
    );
  });

  it('passes a damaged aggregate (bit flip, truncation, appended bytes) through whole', () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        bit: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('append' as const),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(entriesArb, mutation, (entries, m) => {
        const blob = encodeAggregatedRecord(entries);
        let damaged: Uint8Array;
        if (m.kind === 'flip') {
          damaged = blob.slice();
          const at = m.at % blob.length;
          damaged[at] = (damaged[at] as number) ^ (1 << m.bit);
        } else if (m.kind === 'truncate') {
          damaged = blob.slice(0, m.at % blob.length);
        } else {
          damaged = Uint8Array.from([...blob, ...m.bytes]);
        }
        expectPassThrough(rawOf(damaged));
      }),
      fuzzParameters(0x6b706c06, 300),
    );
  });

  it('passes a correctly signed aggregate with bad content through whole', () => {
    const big = fc.oneof(
      fc.bigInt({ min: 2n ** 31n, max: 2n ** 64n - 1n }),
      fc.constantFrom(2n ** 32n, 2n ** 32n + 1n, 2n ** 63n, 2n ** 64n - 1n),
    );
    const bad = fc.oneof(
      // partition key index outside its table (small and huge)
      fc
        .tuple(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.bigInt({ min: 3n, max: 100n }), big))
        .map(([n, index]) =>
          handAggregate(
            ['a', 'b', 'c'].slice(0, n),
            [],
            [
              { pkIndex: 0n, data: [1] },
              { pkIndex: index, data: [2] },
            ],
          ),
        ),
      // explicit hash key index outside its table
      fc
        .oneof(fc.bigInt({ min: 1n, max: 100n }), big)
        .map((index) => handAggregate(['a'], ['1'], [{ pkIndex: 0n, ehkIndex: index, data: [1] }])),
      // no partition key index, or no data
      fc.constantFrom(
        handAggregate(['a'], [], [{ data: [1] }]),
        handAggregate(['a'], [], [{ pkIndex: 0n }]),
      ),
      // zero records (only key tables)
      fc
        .array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 })
        .map((pks) => handAggregate(pks, [], [])),
    );
    fc.assert(
      fc.property(bad, (blob) => {
        expectPassThrough(rawOf(blob));
      }),
      fuzzParameters(0x6b706c07, 200),
    );
  });

  it('never throws on a re-signed aggregate with random bytes flipped, inserted or removed', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom('set', 'insert', 'remove'),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (entries, edits) => {
          const blob = encodeAggregatedRecord(entries);
          const protobuf = Array.from(blob.subarray(4, blob.length - 16));
          for (const [at, value, edit] of edits) {
            const i = at % (protobuf.length + 1);
            if (edit === 'set') protobuf[Math.min(i, protobuf.length - 1)] = value;
            else if (edit === 'insert') protobuf.splice(i, 0, value);
            else protobuf.splice(i, 1);
          }
          if (protobuf.length === 0) protobuf.push(0);
          expectWholeOrSubRecords(rawOf(signed(Uint8Array.from(protobuf))));
        },
      ),
      fuzzParameters(0x6b706c08, 300),
    );
  });

  // Shrunk counterexamples of the properties above, as plain examples.
  it('rejects a partition key index of 2^32 instead of reading it as index 0', () => {
    expectPassThrough(rawOf(handAggregate(['a'], [], [{ pkIndex: 2n ** 32n, data: [1] }])));
  });

  it('rejects an explicit hash key index of 2^32 + 1 instead of reading it as index 1', () => {
    expectPassThrough(
      rawOf(
        handAggregate(['a'], ['1', '2'], [{ pkIndex: 0n, ehkIndex: 2n ** 32n + 1n, data: [1] }]),
      ),
    );
  });

  it('rejects a record length prefix of 2^32 + n instead of reading it as n', () => {
    // records[0] = { partition_key_index: 0, data: [1] } (5 bytes), its length written as 2^32 + 5
    const protobuf = [
      ...lengthDelimited(1, text('a')),
      ...key(3, 2),
      ...varint(2n ** 32n + 5n),
      0x08,
      0x00,
      0x1a,
      0x01,
      0x01,
    ];
    expectPassThrough(rawOf(signed(Uint8Array.from(protobuf))));
  });

  it('passes an aggregate with zero records through whole instead of dropping it', () => {
    expectPassThrough(rawOf(handAggregate([''], [], [])));
  });
});
