// Barrel of src/module (re-exported from src/config/index.ts): re-exports only.
export { loadModule } from './loadModule.js';
export type {
  EgressRecord,
  LoadedModule,
  ModuleEgress,
  ModuleIngress,
  RoutedRecord,
} from './loadModule.js';
export {
  AwsCredentialsSpec,
  AwsRegionSpec,
  EGRESS_TYPES,
  INGRESS_TYPES,
  KinesisEgressSpec,
  KinesisIngressSpec,
  ModuleDocument,
  StartupPositionSpec,
} from './ModuleCodec.js';
