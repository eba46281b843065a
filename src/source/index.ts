// Barrel of src/source: re-exports only.
export {};
