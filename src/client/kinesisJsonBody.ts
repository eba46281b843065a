/** Base64 of bytes, without Node's `Buffer` (browser-safe). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * The JSON body of a Kinesis request (the `awsJson1_1` protocol the AWS SDK
 * speaks to Kinesis): blobs (`Data`) as base64, timestamps (`Timestamp`,
 * `StreamCreationTimestamp`) as seconds since the epoch, everything else as is.
 *
 * ## Example
 * ```ts
 * kinesisJsonBody({ StreamName: 's', Records: [{ Data: new Uint8Array([1]), PartitionKey: 'k' }] });
 * // '{"StreamName":"s","Records":[{"Data":"AQ==","PartitionKey":"k"}]}'
 * ```
 */
export function kinesisJsonBody(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return toBase64(raw);
    if (raw instanceof Date) return raw.getTime() / 1000;
    return value;
  });
}
