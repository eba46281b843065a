import type { KinesisRecord } from '../../src/record.js';

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** A record as a reader emits it. */
export function recordOf(
  data: Uint8Array | string,
  sequenceNumber = '49590338271490256608559692538361571095921575989136588898',
): KinesisRecord {
  return {
    stream: 'user_behavior',
    shardId: 'shardId-000000000001',
    sequenceNumber,
    partitionKey: 'pk',
    data: typeof data === 'string' ? bytes(data) : data,
    approximateArrivalTimestamp: new Date('2024-01-02T03:04:05.678Z'),
  };
}
