import { md5 } from '../kpl/md5.js';

const encoder = new TextEncoder();

/**
 * The 128-bit hash key Kinesis routes a record by: its explicit hash key
 * when it has one, else the MD5 of its partition key (UTF-8) read as a
 * big-endian unsigned integer. The shard whose hash key range holds it is
 * the one that stores the record.
 *
 * ## Example
 * ```ts
 * import { partitionHash } from 'rx-kinesis';
 * partitionHash('user-42', undefined); // 0n … 2n ** 128n - 1n
 * partitionHash('anything', '0'); // 0n
 * ```
 */
export function partitionHash(partitionKey: string, explicitHashKey: string | undefined): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  const digest = md5(encoder.encode(partitionKey));
  let hex = '0x';
  for (let i = 0; i < digest.length; i++)
    hex += (digest[i] as number).toString(16).padStart(2, '0');
  return BigInt(hex);
}
