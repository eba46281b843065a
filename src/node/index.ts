export { startKinesisLocal } from './startKinesisLocal.js';
export type { KinesisLocal, KinesisLocalOptions } from './startKinesisLocal.js';
export { startKinesalite } from './startKinesalite.js';
export type { Kinesalite, KinesaliteOptions } from './startKinesalite.js';
export { freePort } from './freePort.js';
export { MissingPackageError } from './resolveOptional.js';
export { fileCheckpointStore } from './fileCheckpointStore.js';
export type { FileCheckpointStore } from './fileCheckpointStore.js';
