// Barrel of the Flink translation wing: re-exports only.
export type {
  FlinkPropertiesSettings,
  OptionFamily,
  OptionRow,
  OptionRule,
  RuleContext,
} from './OptionRow.js';
export { translateOptions } from './translateOptions.js';
export { sourceConfigFromFlinkProperties } from './sourceConfigFromFlinkProperties.js';
export { sinkConfigFromKplProperties } from './sinkConfigFromKplProperties.js';
export { CONSUMER_PROPERTIES_FAMILY } from './families/consumerPropertiesFamily.js';
export { KPL_PRODUCER_FAMILY } from './families/kplProducerFamily.js';
export { DYNAMODB_STREAMS_OPTIONS_FAMILY } from './families/dynamoDBStreamsOptionsFamily.js';
export { SQL_OPTIONS_FAMILY, sqlOptionsFamily } from './families/sqlOptionsFamily.js';
export type { SqlOptionsSettings, SqlTableConfig } from './families/sqlOptionsFamily.js';
export { SQL_OPTION_ROWS } from './families/sqlOptionRows.js';
export {
  booleanText,
  choiceText,
  doubleText,
  durationText,
  integerText,
  listText,
  stringText,
} from './codecs/optionText.js';
export type { OptionText } from './codecs/optionText.js';
