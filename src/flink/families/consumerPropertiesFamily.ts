import { SourceConfig } from '../../source/SourceConfig.js';
import type { OptionFamily } from '../OptionRow.js';
import { AWS_PROPERTY_ROWS, awsCredentialsRule } from './awsPropertyRows.js';
import { efoRule, initialPositionRule, regionOrEndpointRule } from './consumerPropertyRules.js';
import { CONSUMER_PROPERTY_ROWS, KINESIS_SOURCE_ROWS } from './consumerPropertyRows.js';

/**
 * DataStream consumer properties: `AWSConfigConstants`,
 * `ConsumerConfigConstants` (FlinkKinesisConsumer) and the current
 * connector's `KinesisSourceConfigOptions` (KinesisStreamsSource), read into
 * a `SourceConfig`.
 */
export const CONSUMER_PROPERTIES_FAMILY: OptionFamily<SourceConfig> = {
  name: 'a Flink Kinesis consumer property',
  root: 'source',
  rows: [...AWS_PROPERTY_ROWS, ...CONSUMER_PROPERTY_ROWS, ...KINESIS_SOURCE_ROWS],
  rules: [awsCredentialsRule, regionOrEndpointRule, initialPositionRule, efoRule],
  codec: SourceConfig,
};
