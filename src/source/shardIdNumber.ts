/**
 * The growing number inside a shard id, by which shards created later sort
 * after older ones: the digits after `shardId-` (Kinesis
 * `shardId-000000000007`; DynamoDB Streams `shardId-00000001414562045508-2bac9cd2`,
 * whose tail is a random hex suffix), else the id's trailing digits;
 * `undefined` when it has none.
 */
export function shardIdNumber(shardId: string): bigint | undefined {
  const match = /^shardId-(\d+)/.exec(shardId) ?? /(\d+)$/.exec(shardId);
  return match === null ? undefined : BigInt(match[1] as string);
}
