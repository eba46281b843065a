import { DynamoDBStreamsConfig } from '../../dynamodbstreams/DynamoDBStreamsConfig.js';
import { DYNAMODB_STREAMS_OPTION_ROWS } from '../../dynamodbstreams/dynamoDBStreamsOptionSpecs.js';
import type { OptionFamily } from '../OptionRow.js';

/**
 * The Flink keys of a DynamoDB Streams source (SQL `scan.stream.describe.*`,
 * DataStream and current-source `flink.dynamodbstreams.*`, and the common
 * ones) as a key family: its rows and `DynamoDBStreamsConfig`'s own codec,
 * the one validator. No rule spans keys; the table or stream ARN comes from
 * the `base` config of `dynamoDBStreamsConfigFromFlinkOptions`.
 */
export const DYNAMODB_STREAMS_OPTIONS_FAMILY: OptionFamily<DynamoDBStreamsConfig> = {
  name: 'a DynamoDB Streams source option',
  root: 'dynamoDBStreams',
  rows: DYNAMODB_STREAMS_OPTION_ROWS,
  codec: DynamoDBStreamsConfig,
};
