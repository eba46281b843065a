import { SinkConfigCodec } from '../../sink/SinkConfig.js';
import type { SinkConfig } from '../../sink/SinkConfig.js';
import type { SinkInput } from '../../sink/SinkInput.js';
import type { OptionFamily } from '../OptionRow.js';
import { AWS_PROPERTY_ROWS, awsCredentialsRule } from './awsPropertyRows.js';
import {
  aggregationRule,
  kinesisEndpointRule,
  regionRule,
  verifyCertificateRule,
} from './kplPropertyRules.js';
import { KPL_PROPERTY_ROWS } from './kplPropertyRows.js';

/**
 * FlinkKinesisProducer properties: `AWSConfigConstants` and the KPL's keys
 * (plus `DefaultStream`, `DefaultPartition`, `QueueLimit`, `FailOnError` for
 * its setters), read into a `SinkConfig`.
 */
export const KPL_PRODUCER_FAMILY: OptionFamily<SinkConfig<SinkInput>> = {
  name: 'a FlinkKinesisProducer (KPL) property',
  root: 'sink',
  rows: [...AWS_PROPERTY_ROWS, ...KPL_PROPERTY_ROWS],
  rules: [
    awsCredentialsRule,
    regionRule,
    aggregationRule,
    kinesisEndpointRule,
    verifyCertificateRule,
  ],
  codec: SinkConfigCodec as unknown as OptionFamily<SinkConfig<SinkInput>>['codec'],
};
