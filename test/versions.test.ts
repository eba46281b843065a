import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  installedVersion,
  lockedVersion,
  measuredPackages,
  minimumAwsSdkCore,
  versionsLine,
} from '../bench/versions.js';

describe('the versions that run', () => {
  it('names every measured package with its installed version', () => {
    const line = versionsLine();
    for (const name of measuredPackages) {
      expect(line).toContain(`${name} ${installedVersion(name)}`);
      expect(installedVersion(name)).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('the lock file is what is installed, for every measured package', () => {
    for (const name of measuredPackages) {
      expect({ name, version: installedVersion(name) }).toEqual({
        name,
        version: lockedVersion(name),
      });
    }
  });

  it(`the lock pins @aws-sdk/core ${minimumAwsSdkCore} or later (older ones cost CPU per response)`, () => {
    const locked = lockedVersion('@aws-sdk/core');
    expect(locked).toBeDefined();
    expect(compareVersions(locked ?? '0.0.0', minimumAwsSdkCore)).toBeGreaterThanOrEqual(0);
  });

  it('compares versions numerically, not as text', () => {
    expect(compareVersions('3.981.0', '3.981.2')).toBeLessThan(0);
    expect(compareVersions('3.981.10', '3.981.2')).toBeGreaterThan(0);
    expect(compareVersions('3.1143.0', '3.981.2')).toBeGreaterThan(0);
    expect(compareVersions('3.981.2', '3.981.2')).toBe(0);
  });
});
