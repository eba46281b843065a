// Barrel of src/sink: re-exports only.
export {};
