import {
  FIELD_DATA,
  FIELD_EXPLICIT_HASH_KEY_INDEX,
  FIELD_EXPLICIT_HASH_KEY_TABLE,
  FIELD_PARTITION_KEY_INDEX,
  FIELD_PARTITION_KEY_TABLE,
  FIELD_RECORDS,
  KPL_DIGEST_SIZE,
  KPL_MAGIC,
  varintSize,
} from './aggregatedRecordFormat.js';
import { md5 } from './md5.js';
import { utf8Length } from './utf8Length.js';

/** Protobuf wire types. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const textEncoder = new TextEncoder();

/** One user record to pack into a KPL aggregated record. */
export interface AggregatedEntry {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/**
 * Packs user records into one KPL aggregated record, knowing its exact
 * encoded size before each addition (so a caller can close it below the
 * 1 MiB record limit without encoding twice). Partition keys and explicit
 * hash keys are stored once each in the record's key tables.
 *
 * ## Example
 * ```ts
 * import { AggregatedRecordBuilder } from 'rx-kinesis';
 * const builder = new AggregatedRecordBuilder();
 * builder.add({ partitionKey: 'user-1', data: new TextEncoder().encode('a') });
 * builder.add({ partitionKey: 'user-1', data: new TextEncoder().encode('b') });
 * const blob = builder.encode(); // magic + protobuf + MD5, readable by KCL and fromKinesis
 * ```
 */
export class AggregatedRecordBuilder {
  private readonly partitionKeys = new Map<string, number>();
  private readonly explicitHashKeys = new Map<string, number>();
  private readonly entries: AggregatedEntry[] = [];
  private protobufSize = 0;

  /** Number of user records added. */
  get count(): number {
    return this.entries.length;
  }

  /** Encoded size in bytes (magic + protobuf + digest) of what was added so far. */
  get size(): number {
    return KPL_MAGIC.length + this.protobufSize + KPL_DIGEST_SIZE;
  }

  /** The entries added so far, in order. */
  get records(): readonly AggregatedEntry[] {
    return this.entries;
  }

  /** Encoded size in bytes if `entry` were added next. */
  sizeWith(entry: AggregatedEntry): number {
    return this.size + this.growth(entry);
  }

  /** Adds one user record. */
  add(entry: AggregatedEntry): void {
    this.protobufSize += this.growth(entry);
    if (!this.partitionKeys.has(entry.partitionKey)) {
      this.partitionKeys.set(entry.partitionKey, this.partitionKeys.size);
    }
    const ehk = entry.explicitHashKey;
    if (ehk !== undefined && !this.explicitHashKeys.has(ehk)) {
      this.explicitHashKeys.set(ehk, this.explicitHashKeys.size);
    }
    this.entries.push(entry);
  }

  /** The aggregated record: magic bytes, the protobuf `AggregatedRecord`, its MD5. */
  encode(): Uint8Array {
    // The size is known exactly, so the protobuf is written straight into the result.
    const out = new Uint8Array(this.size);
    out.set(KPL_MAGIC, 0);
    const end = KPL_MAGIC.length + this.protobufSize;
    let pos = KPL_MAGIC.length;
    const varint = (value: number): void => {
      let rest = value;
      while (rest >= 0x80) {
        out[pos++] = (rest % 128) | 0x80;
        rest = Math.floor(rest / 128);
      }
      out[pos++] = rest;
    };
    const tag = (field: number, wireType: number): void => varint(field * 8 + wireType);
    const string = (text: string): void => {
      varint(utf8Length(text));
      pos += textEncoder.encodeInto(text, out.subarray(pos, end)).written;
    };
    for (const key of this.partitionKeys.keys()) {
      tag(FIELD_PARTITION_KEY_TABLE, LENGTH_DELIMITED);
      string(key);
    }
    for (const key of this.explicitHashKeys.keys()) {
      tag(FIELD_EXPLICIT_HASH_KEY_TABLE, LENGTH_DELIMITED);
      string(key);
    }
    for (const entry of this.entries) {
      const pkIndex = this.partitionKeys.get(entry.partitionKey) ?? 0;
      const ehkIndex =
        entry.explicitHashKey !== undefined
          ? (this.explicitHashKeys.get(entry.explicitHashKey) ?? 0)
          : undefined;
      tag(FIELD_RECORDS, LENGTH_DELIMITED);
      varint(
        1 +
          varintSize(pkIndex) +
          (ehkIndex !== undefined ? 1 + varintSize(ehkIndex) : 0) +
          1 +
          varintSize(entry.data.length) +
          entry.data.length,
      );
      tag(FIELD_PARTITION_KEY_INDEX, VARINT);
      varint(pkIndex);
      if (ehkIndex !== undefined) {
        tag(FIELD_EXPLICIT_HASH_KEY_INDEX, VARINT);
        varint(ehkIndex);
      }
      tag(FIELD_DATA, LENGTH_DELIMITED);
      varint(entry.data.length);
      out.set(entry.data, pos);
      pos += entry.data.length;
    }
    if (pos !== end) throw new Error(`KPL encoder wrote ${pos} bytes of ${end}`);
    out.set(md5(out.subarray(KPL_MAGIC.length, end)), end);
    return out;
  }

  /** Protobuf bytes `entry` adds: new table entries plus its `Record` message. */
  private growth(entry: AggregatedEntry): number {
    let added = 0;
    let pkIndex = this.partitionKeys.get(entry.partitionKey);
    if (pkIndex === undefined) {
      pkIndex = this.partitionKeys.size;
      const length = utf8Length(entry.partitionKey);
      added += 1 + varintSize(length) + length;
    }
    let inner = 1 + varintSize(pkIndex);
    const ehk = entry.explicitHashKey;
    if (ehk !== undefined) {
      let ehkIndex = this.explicitHashKeys.get(ehk);
      if (ehkIndex === undefined) {
        ehkIndex = this.explicitHashKeys.size;
        const length = utf8Length(ehk);
        added += 1 + varintSize(length) + length;
      }
      inner += 1 + varintSize(ehkIndex);
    }
    inner += 1 + varintSize(entry.data.length) + entry.data.length;
    return added + 1 + varintSize(inner) + inner;
  }
}
