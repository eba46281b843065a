import {
  FIELD_DATA,
  FIELD_EXPLICIT_HASH_KEY_INDEX,
  FIELD_EXPLICIT_HASH_KEY_TABLE,
  FIELD_PARTITION_KEY_INDEX,
  FIELD_PARTITION_KEY_TABLE,
  FIELD_RECORDS,
  KPL_DIGEST_SIZE,
  KPL_MAGIC,
  hasKplMagic,
} from './aggregatedRecordFormat.js';
import { md5 } from './md5.js';

/** One user record found inside a KPL aggregated record. */
export interface AggregatedSubRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  /** A view into the aggregated record's bytes (not a copy). */
  readonly data: Uint8Array;
  /** Position inside the aggregated record, from 0. */
  readonly subSequenceNumber: number;
}

const NO_INDEX = -1;
const textDecoder = new TextDecoder();

/** Protobuf wire types this format uses (and those `skip` steps over). */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** A read position in protobuf bytes. */
interface Reader {
  readonly buf: Uint8Array;
  pos: number;
}

/**
 * A protobuf varint as a number, all of its (at most 10) bytes: a value past
 * 2^32 stays past any table or buffer length (precision above 2^53 does not
 * matter for that). Throws on a varint that does not end.
 */
function readVarint(reader: Reader): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const pos = reader.pos + i;
    if (pos >= reader.buf.length) throw new RangeError('truncated varint');
    const byte = reader.buf[pos] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) {
      reader.pos = pos + 1;
      return value;
    }
  }
  throw new RangeError('varint longer than 10 bytes');
}

/** The bytes of a length-delimited field (a view), its whole length checked against what is left. */
function readBytes(reader: Reader, end: number): Uint8Array {
  const length = readVarint(reader);
  if (length > end - reader.pos) throw new RangeError('length past the end');
  const start = reader.pos;
  reader.pos += length;
  return reader.buf.subarray(start, reader.pos);
}

/** A field's tag: its number and wire type. */
function readTag(reader: Reader): [field: number, wireType: number] {
  const tag = readVarint(reader);
  const field = Math.floor(tag / 8);
  if (field === 0 || tag % 8 > FIXED32) throw new RangeError(`tag ${tag}`);
  return [field, tag % 8];
}

/** Steps over one field's value (a group up to its end); throws on anything malformed. */
function skip(reader: Reader, wireType: number, field: number, depth = 0): void {
  if (wireType === VARINT) readVarint(reader);
  else if (wireType === LENGTH_DELIMITED) readBytes(reader, reader.buf.length);
  else if (wireType === FIXED64 || wireType === FIXED32) {
    reader.pos += wireType === FIXED64 ? 8 : 4;
    if (reader.pos > reader.buf.length) throw new RangeError('fixed field past the end');
  } else if (wireType === START_GROUP) {
    if (depth > 100) throw new RangeError('groups nested too deep');
    for (;;) {
      const [inner, innerType] = readTag(reader);
      if (innerType === END_GROUP) {
        if (inner !== field) throw new RangeError('group ended by another field');
        return;
      }
      skip(reader, innerType, inner, depth + 1);
    }
  } else throw new RangeError(`wire type ${wireType}`);
}

/**
 * Decodes a KPL aggregated record into its user records, or returns
 * `undefined` when `data` is not one: no magic bytes, a digest that does
 * not match, a protobuf that does not parse, a missing required field, a
 * key index outside its table (varints are read whole: an index of 2^32 is
 * out of range, not index 0) or no records at all. Everything is checked
 * before anything is returned, so a damaged record is never half
 * de-aggregated, and the caller passes it through whole.
 *
 * The KCL differs in two corners, where it loses records: an aggregate
 * with zero records yields nothing, and a key index outside its table keeps
 * the sub-records before it, logs an error and drops the rest. Here both
 * are "not an aggregate": the record is passed through unchanged.
 *
 * ## Example
 * ```ts
 * import { decodeAggregatedRecord, encodeAggregatedRecord } from 'rx-kinesis';
 * const blob = encodeAggregatedRecord([{ partitionKey: 'k', data: Uint8Array.of(1) }]);
 * decodeAggregatedRecord(blob); // [{ partitionKey: 'k', data: Uint8Array [1], subSequenceNumber: 0 }]
 * ```
 */
export function decodeAggregatedRecord(data: Uint8Array): AggregatedSubRecord[] | undefined {
  if (!hasKplMagic(data)) return undefined;
  const digestAt = data.length - KPL_DIGEST_SIZE;
  const protobuf = data.subarray(KPL_MAGIC.length, digestAt);
  const digest = md5(protobuf);
  for (let i = 0; i < KPL_DIGEST_SIZE; i++) {
    if (digest[i] !== data[digestAt + i]) return undefined;
  }
  try {
    return parseAggregatedRecord(protobuf);
  } catch {
    // not a protobuf after all (or a truncated one): the caller passes the record through
    return undefined;
  }
}

function parseAggregatedRecord(protobuf: Uint8Array): AggregatedSubRecord[] | undefined {
  const reader: Reader = { buf: protobuf, pos: 0 };
  const len = protobuf.length;
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  // Records may precede the tables on the wire, so keys are resolved after the whole parse.
  const pkIndexes: number[] = [];
  const ehkIndexes: number[] = [];
  const payloads: Uint8Array[] = [];
  while (reader.pos < len) {
    const [field, wireType] = readTag(reader);
    if (field === FIELD_PARTITION_KEY_TABLE && wireType === LENGTH_DELIMITED) {
      partitionKeys.push(textDecoder.decode(readBytes(reader, len)));
    } else if (field === FIELD_EXPLICIT_HASH_KEY_TABLE && wireType === LENGTH_DELIMITED) {
      explicitHashKeys.push(textDecoder.decode(readBytes(reader, len)));
    } else if (field === FIELD_RECORDS && wireType === LENGTH_DELIMITED) {
      const length = readVarint(reader);
      if (length > len - reader.pos) return undefined;
      const end = reader.pos + length;
      let pkIndex = NO_INDEX;
      let ehkIndex = NO_INDEX;
      let payload: Uint8Array | undefined;
      while (reader.pos < end) {
        const [inner, innerType] = readTag(reader);
        if (inner === FIELD_PARTITION_KEY_INDEX && innerType === VARINT) {
          pkIndex = readVarint(reader);
        } else if (inner === FIELD_EXPLICIT_HASH_KEY_INDEX && innerType === VARINT) {
          ehkIndex = readVarint(reader);
        } else if (inner === FIELD_DATA && innerType === LENGTH_DELIMITED) {
          payload = readBytes(reader, end);
        } else {
          skip(reader, innerType, inner); // tags and unknown fields
        }
      }
      if (reader.pos !== end || pkIndex === NO_INDEX || payload === undefined) return undefined;
      pkIndexes.push(pkIndex);
      ehkIndexes.push(ehkIndex);
      payloads.push(payload);
    } else {
      skip(reader, wireType, field);
    }
  }
  // an aggregate of nothing is not what a KPL writes: passed through rather than dropped
  if (payloads.length === 0) return undefined;
  const records: AggregatedSubRecord[] = new Array<AggregatedSubRecord>(payloads.length);
  for (let i = 0; i < payloads.length; i++) {
    const partitionKey = partitionKeys[pkIndexes[i] ?? NO_INDEX];
    if (partitionKey === undefined) return undefined;
    const ehkIndex = ehkIndexes[i] ?? NO_INDEX;
    const payload = payloads[i] as Uint8Array;
    if (ehkIndex === NO_INDEX) {
      records[i] = { partitionKey, data: payload, subSequenceNumber: i };
    } else {
      const explicitHashKey = explicitHashKeys[ehkIndex];
      if (explicitHashKey === undefined) return undefined;
      records[i] = { partitionKey, explicitHashKey, data: payload, subSequenceNumber: i };
    }
  }
  return records;
}
