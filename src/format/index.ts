// Barrel of src/format: re-exports only.
export {};
