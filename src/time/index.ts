// Barrel of src/time: re-exports only.
export {};
