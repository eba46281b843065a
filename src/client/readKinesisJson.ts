/** Bytes of a base64 string, without Node's `Buffer` (browser-safe). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const toDate = (value: unknown): unknown =>
  typeof value === 'number' ? new Date(Math.round(value * 1000)) : value;

/**
 * The output of a Kinesis call from its JSON answer, shaped as the AWS SDK
 * shapes it: `GetRecords` records with `Data` as bytes and
 * `ApproximateArrivalTimestamp` as a `Date`; `DescribeStreamSummary`'s
 * `StreamCreationTimestamp` as a `Date`; the rest as sent. `$metadata`
 * carries the HTTP status and request id.
 *
 * ## Example
 * ```ts
 * readKinesisJson('GetRecords', '{"Records":[{"Data":"AQ==","PartitionKey":"k","SequenceNumber":"1","ApproximateArrivalTimestamp":1.5}]}', { httpStatusCode: 200 });
 * ```
 */
export function readKinesisJson(
  operation: string,
  text: string,
  metadata: { readonly httpStatusCode: number; readonly requestId?: string },
): Record<string, unknown> {
  const output = (text.trim() === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (operation === 'GetRecords' && Array.isArray(output['Records'])) {
    for (const record of output['Records'] as Array<Record<string, unknown>>) {
      if (typeof record['Data'] === 'string') record['Data'] = fromBase64(record['Data']);
      record['ApproximateArrivalTimestamp'] = toDate(record['ApproximateArrivalTimestamp']);
    }
  } else if (operation === 'DescribeStreamSummary') {
    const summary = output['StreamDescriptionSummary'] as Record<string, unknown> | undefined;
    if (summary !== undefined)
      summary['StreamCreationTimestamp'] = toDate(summary['StreamCreationTimestamp']);
  }
  output['$metadata'] = { ...metadata, attempts: 1, totalRetryDelay: 0 };
  return output;
}
