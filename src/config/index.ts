// Barrel of src/config additions (credentials, Flink options, tables, modules): re-exports only.
export {};
