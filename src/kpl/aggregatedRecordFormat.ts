/**
 * Facts of the KPL aggregated record format (amazon-kinesis-producer,
 * `aggregation-format.md`), shared by the encoder and the decoder:
 *
 * ```
 * 0xF3 0x89 0x9A 0xC2 | protobuf AggregatedRecord | MD5(protobuf) (16 bytes)
 *
 * message AggregatedRecord {
 *   repeated string partition_key_table     = 1;
 *   repeated string explicit_hash_key_table = 2;
 *   repeated Record records                 = 3;
 * }
 * message Record {
 *   required uint64 partition_key_index     = 1;
 *   optional uint64 explicit_hash_key_index = 2;
 *   required bytes  data                    = 3;
 *   repeated Tag    tags                    = 4;
 * }
 * message Tag { required string key = 1; optional string value = 2; }
 * ```
 */
export const KPL_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the trailing MD5 digest. */
export const KPL_DIGEST_SIZE = 16;

/** Protobuf field numbers of `AggregatedRecord`. */
export const FIELD_PARTITION_KEY_TABLE = 1;
export const FIELD_EXPLICIT_HASH_KEY_TABLE = 2;
export const FIELD_RECORDS = 3;
/** Protobuf field numbers of `Record`. */
export const FIELD_PARTITION_KEY_INDEX = 1;
export const FIELD_EXPLICIT_HASH_KEY_INDEX = 2;
export const FIELD_DATA = 3;
export const FIELD_TAGS = 4;

/** True when `data` starts with the KPL magic bytes and is long enough to hold a digest. */
export function hasKplMagic(data: Uint8Array): boolean {
  return (
    data.length > KPL_MAGIC.length + KPL_DIGEST_SIZE &&
    data[0] === 0xf3 &&
    data[1] === 0x89 &&
    data[2] === 0x9a &&
    data[3] === 0xc2
  );
}

/** Bytes a protobuf varint of `value` takes (value < 2^53). */
export function varintSize(value: number): number {
  let size = 1;
  let rest = value;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 128);
    size += 1;
  }
  return size;
}
