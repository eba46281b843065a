import type { OptionRule } from '../OptionRow.js';

/** The producer needs a region (Flink's `getValidatedProducerConfiguration`), KPL `Region` counts. */
export const regionRule: OptionRule = (context) => {
  if (!context.given('aws.region') && !context.given('aws.endpoint'))
    context.fail(
      'aws.region',
      undefined,
      'a region (aws.region, or KPL Region; aws.endpoint alone also does)',
    );
};

/** `AggregationEnabled=false` turns aggregation off; its sizes then mean nothing. */
export const aggregationRule: OptionRule = (context) => {
  if (context.value('AggregationEnabled') !== false) return;
  context.set('aggregation', false, 'AggregationEnabled');
  for (const key of ['AggregationMaxCount', 'AggregationMaxSize'])
    if (context.given(key))
      context.warn(key, `${key} is accepted but has no effect: AggregationEnabled is false`);
};

/** KPL `KinesisEndpoint` + `KinesisPort` → client `endpoint` (`aws.endpoint` wins). */
export const kinesisEndpointRule: OptionRule = (context) => {
  const host = context.raw('KinesisEndpoint');
  if (host === undefined) return;
  if (context.given('aws.endpoint')) {
    context.warn(
      'KinesisEndpoint',
      'KinesisEndpoint is ignored: aws.endpoint is also set and wins',
    );
    return;
  }
  const url = /^https?:\/\//.test(host)
    ? host
    : `https://${host}:${context.value<number>('KinesisPort') ?? 443}`;
  context.set('endpoint', url, 'KinesisEndpoint');
};

/** KPL `VerifyCertificate=false` → client `trustAllCertificates` (`aws.trust.all.certificates` wins). */
export const verifyCertificateRule: OptionRule = (context) => {
  if (context.value('VerifyCertificate') !== false || context.given('aws.trust.all.certificates'))
    return;
  context.set('trustAllCertificates', true, 'VerifyCertificate');
};
