import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AggregatedRecordBuilder } from '../../src/kpl/AggregatedRecordBuilder.js';
import { decodeAggregatedRecord } from '../../src/kpl/decodeAggregatedRecord.js';
import { encodeAggregatedRecord } from '../../src/kpl/encodeAggregatedRecord.js';
import { utf8Length } from '../../src/kpl/utf8Length.js';
import { type RawRecord, type UserRecord, deaggregate } from '../../src/source/deaggregate.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

function collect(raw: RawRecord): UserRecord[] {
  const out: UserRecord[] = [];
  deaggregate(raw, (r) => out.push(r));
  return out;
}

/**
 * A vector written byte by byte from the KPL spec (aggregation-format.md),
 * independent of our encoder and of our MD5: two partition keys, one
 * explicit hash key, three records, the second carrying a tag.
 */
function specVector(): Uint8Array {
  // prettier-ignore
  const protobuf = Uint8Array.from([
    // partition_key_table = ["a", "bc"]
    0x0a, 0x01, 0x61, 0x0a, 0x02, 0x62, 0x63,
    // explicit_hash_key_table = ["42"]
    0x12, 0x02, 0x34, 0x32,
    // records[0] = { partition_key_index: 0, data: "x" }
    0x1a, 0x05, 0x08, 0x00, 0x1a, 0x01, 0x78,
    // records[1] = { partition_key_index: 1, explicit_hash_key_index: 0, data: "yz", tags: [{ key: "t" }] }
    0x1a, 0x0d, 0x08, 0x01, 0x10, 0x00, 0x1a, 0x02, 0x79, 0x7a, 0x22, 0x03, 0x0a, 0x01, 0x74,
    // records[2] = { partition_key_index: 0, data: "" }
    0x1a, 0x04, 0x08, 0x00, 0x1a, 0x00,
  ]);
  const digest = createHash('md5').update(protobuf).digest();
  return Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2, ...protobuf, ...digest]);
}

describe('KPL aggregated records', () => {
  it('round-trips records through encode and deaggregate, with sub-sequence numbers', () => {
    const entries = [
      { partitionKey: 'user-1', data: text('first') },
      { partitionKey: 'user-2', data: text('second') },
      { partitionKey: 'user-1', data: text('third') },
      { partitionKey: 'ünïcødé-κλειδί', data: new Uint8Array(0) },
    ];
    const blob = encodeAggregatedRecord(entries);
    const out = collect({ sequenceNumber: '1', partitionKey: 'user-1', data: blob });
    expect(out.map((r) => [r.partitionKey, str(r.data), r.subSequenceNumber])).toEqual([
      ['user-1', 'first', 0],
      ['user-2', 'second', 1],
      ['user-1', 'third', 2],
      ['ünïcødé-κλειδί', '', 3],
    ]);
    expect(out.every((r) => r.explicitHashKey === undefined)).toBe(true);
  });

  it('stores each key once in the key tables', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      partitionKey: 'the-same-rather-long-partition-key',
      data: text(String(i)),
    }));
    const blob = encodeAggregatedRecord(many);
    // one key of 34 bytes, 100 records of 1-2 data bytes: far below 100 copies of the key
    expect(blob.length).toBeLessThan(34 + 100 * 8 + 20 + 40);
  });

  it('keeps explicit hash keys per sub-record', () => {
    const blob = encodeAggregatedRecord([
      { partitionKey: 'a', explicitHashKey: '0', data: text('1') },
      { partitionKey: 'b', data: text('2') },
      {
        partitionKey: 'c',
        explicitHashKey: '340282366920938463463374607431768211455',
        data: text('3'),
      },
      { partitionKey: 'd', explicitHashKey: '0', data: text('4') },
    ]);
    const out = collect({ sequenceNumber: '1', partitionKey: 'a', data: blob });
    expect(out.map((r) => [r.partitionKey, r.explicitHashKey, str(r.data)])).toEqual([
      ['a', '0', '1'],
      ['b', undefined, '2'],
      ['c', '340282366920938463463374607431768211455', '3'],
      ['d', '0', '4'],
    ]);
  });

  it('decodes a vector built byte by byte from the spec (tags skipped)', () => {
    const out = collect({ sequenceNumber: '7', partitionKey: 'outer', data: specVector() });
    expect(out).toEqual([
      { partitionKey: 'a', data: text('x'), subSequenceNumber: 0 },
      { partitionKey: 'bc', explicitHashKey: '42', data: text('yz'), subSequenceNumber: 1 },
      { partitionKey: 'a', data: new Uint8Array(0), subSequenceNumber: 2 },
    ]);
  });

  it('encodes the spec vector byte for byte (same tables, same order)', () => {
    const builder = new AggregatedRecordBuilder();
    builder.add({ partitionKey: 'a', data: text('x') });
    builder.add({ partitionKey: 'bc', explicitHashKey: '42', data: text('yz') });
    builder.add({ partitionKey: 'a', data: new Uint8Array(0) });
    const ours = builder.encode();
    // The spec vector has a tag on record 1 (5 bytes); ours has none. Compare the rest.
    const vector = specVector();
    const protobuf = Array.from(vector.subarray(4, vector.length - 16));
    protobuf.splice(19, 1, 0x08); // record 1 is 13 bytes long, 8 without its tag
    protobuf.splice(28, 5);
    const digest = createHash('md5').update(Uint8Array.from(protobuf)).digest();
    expect(Array.from(ours)).toEqual([0xf3, 0x89, 0x9a, 0xc2, ...protobuf, ...digest]);
    expect(builder.size).toBe(ours.length);
  });

  it('passes a record with a corrupt MD5 through unchanged', () => {
    const blob = encodeAggregatedRecord([{ partitionKey: 'k', data: text('v') }]);
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0xff;
    const raw: RawRecord = { sequenceNumber: '1', partitionKey: 'k', data: blob };
    const out = collect(raw);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(raw);
  });

  it('passes a record whose protobuf does not parse through unchanged (digest correct)', () => {
    const garbage = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    const digest = createHash('md5').update(garbage).digest();
    const raw: RawRecord = {
      sequenceNumber: '1',
      partitionKey: 'k',
      data: Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2, ...garbage, ...digest]),
    };
    expect(collect(raw)).toEqual([raw]);
    expect(collect(raw)[0]).toBe(raw);
  });

  it('passes a record with a key index outside its table through unchanged', () => {
    // records[0] = { partition_key_index: 3, data: "x" } with an empty key table
    const protobuf = Uint8Array.of(0x1a, 0x05, 0x08, 0x03, 0x1a, 0x01, 0x78);
    const digest = createHash('md5').update(protobuf).digest();
    const raw: RawRecord = {
      sequenceNumber: '1',
      partitionKey: 'k',
      data: Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2, ...protobuf, ...digest]),
    };
    expect(collect(raw)[0]).toBe(raw);
  });

  it('passes a record missing its required data field through unchanged', () => {
    const protobuf = Uint8Array.of(0x0a, 0x01, 0x61, 0x1a, 0x02, 0x08, 0x00);
    const digest = createHash('md5').update(protobuf).digest();
    const raw: RawRecord = {
      sequenceNumber: '1',
      partitionKey: 'k',
      data: Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2, ...protobuf, ...digest]),
    };
    expect(collect(raw)[0]).toBe(raw);
  });

  it('passes plain records through as the same object, without sub-sequence numbers', () => {
    for (const data of [
      text('{"plain":true}'),
      new Uint8Array(0),
      Uint8Array.of(0xf3, 0x89, 0x9a), // a prefix of the magic only
      Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2, 1, 2, 3), // magic but too short for a digest
    ]) {
      const raw: RawRecord = { sequenceNumber: '9', partitionKey: 'p', explicitHashKey: '5', data };
      const out = collect(raw);
      expect(out).toHaveLength(1);
      expect(out[0]).toBe(raw);
      expect(out[0]?.subSequenceNumber).toBeUndefined();
    }
  });

  it('predicts its encoded size exactly while records are added', () => {
    const builder = new AggregatedRecordBuilder();
    for (let i = 0; i < 300; i++) {
      const entry = {
        partitionKey: `key-${i % 17}-ü`,
        ...(i % 5 === 0 ? { explicitHashKey: String(BigInt(i) * 10n ** 30n) } : {}),
        data: new Uint8Array(i * 3),
      };
      const predicted = builder.sizeWith(entry);
      builder.add(entry);
      expect(builder.size).toBe(predicted);
    }
    expect(builder.encode().length).toBe(builder.size);
    expect(builder.count).toBe(300);
  });

  it('counts UTF-8 bytes without encoding', () => {
    for (const s of ['', 'abc', 'héllo', '€', '𝄞x', 'κλειδί', '\ud800']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });

  it('decodes sub-record data as views, without copying', () => {
    const blob = encodeAggregatedRecord([{ partitionKey: 'k', data: text('payload') }]);
    const [sub] = decodeAggregatedRecord(blob) ?? [];
    expect(sub?.data.buffer).toBe(blob.buffer);
  });
});
