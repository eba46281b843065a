// Barrel of src/config additions (credentials, Flink options, tables, modules): re-exports only.
export { CredentialsConfig, SYS_PROP_REASON } from './CredentialsConfig.js';
export type { AssumeRoleCredentials, CredentialsKind } from './CredentialsConfig.js';
export { ClientCredentials, EndpointUrl, NonEmptyString } from './ClientConfig.js';
export type { ClientCredentialsValue, CredentialContext } from './browserCredentialProvider.js';
export { didYouMean, editDistance } from './didYouMean.js';
export { strictObject } from './strictObject.js';
export { taggedUnion } from './taggedUnion.js';
export { fromFlinkOptions } from './fromFlinkOptions.js';
export type {
  FlinkOptionWarning,
  FlinkTableOptions,
  FromFlinkOptionsSettings,
} from './fromFlinkOptions.js';
export { sourceConfigFromFlinkOptions } from './sourceConfigFromFlinkOptions.js';
export { sinkConfigFromFlinkOptions } from './sinkConfigFromFlinkOptions.js';

// tables (src/table) and modules (src/module)
export * from '../table/index.js';
export * from '../module/index.js';
export { functionCodec, integerIn, numberAtLeast, refinedCodec } from './scalarCodecs.js';
// io-ts's object, union and record combinators as the same classes, light in a browser bundle
export { intersectionCodec } from './intersectionCodec.js';
export { partialCodec } from './partialCodec.js';
export { recordCodec } from './recordCodec.js';
export { typeCodec } from './typeCodec.js';
export { unionCodec } from './unionCodec.js';
