import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { md5 } from '@noble/hashes/legacy.js';
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
import { utf8Length } from './utf8Length.js';

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
    const writer = new BinaryWriter();
    for (const key of this.partitionKeys.keys()) {
      writer.tag(FIELD_PARTITION_KEY_TABLE, WireType.LengthDelimited).string(key);
    }
    for (const key of this.explicitHashKeys.keys()) {
      writer.tag(FIELD_EXPLICIT_HASH_KEY_TABLE, WireType.LengthDelimited).string(key);
    }
    for (const entry of this.entries) {
      writer.tag(FIELD_RECORDS, WireType.LengthDelimited).fork();
      writer
        .tag(FIELD_PARTITION_KEY_INDEX, WireType.Varint)
        .uint32(this.partitionKeys.get(entry.partitionKey) ?? 0);
      if (entry.explicitHashKey !== undefined) {
        writer
          .tag(FIELD_EXPLICIT_HASH_KEY_INDEX, WireType.Varint)
          .uint32(this.explicitHashKeys.get(entry.explicitHashKey) ?? 0);
      }
      writer.tag(FIELD_DATA, WireType.LengthDelimited).bytes(entry.data);
      writer.join();
    }
    const protobuf = writer.finish();
    const out = new Uint8Array(KPL_MAGIC.length + protobuf.length + KPL_DIGEST_SIZE);
    out.set(KPL_MAGIC, 0);
    out.set(protobuf, KPL_MAGIC.length);
    out.set(md5(protobuf), KPL_MAGIC.length + protobuf.length);
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
