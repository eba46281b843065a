/** Bytes of a base64 string, without Node's `Buffer` (browser-safe). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// JSON `null` is an absent member, as the SDK reads it: kinesis-local sends
// `"NextToken": null` and `"ErrorCode": null`, which must not read as a next
// page or a failed entry. (Kinesis lists are not sparse: nulls in them go too.)
const withoutNulls = (_key: string, value: unknown): unknown =>
  value === null
    ? undefined
    : Array.isArray(value)
      ? value.filter((item: unknown) => item !== undefined && item !== null)
      : value;

const toDate = (value: unknown): unknown =>
  typeof value === 'number' ? new Date(Math.round(value * 1000)) : value;

/**
 * The output of a Kinesis call from its JSON answer, shaped as the AWS SDK
 * shapes it: `GetRecords` records with `Data` as bytes and
 * `ApproximateArrivalTimestamp` as a `Date`; `DescribeStreamSummary`'s
 * `StreamCreationTimestamp` as a `Date`; members sent as `null` left out (as
 * the SDK leaves them out); the rest as sent. `$metadata`
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
  const parsed: unknown = text.trim() === '' ? undefined : JSON.parse(text, withoutNulls);
  const output = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
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
