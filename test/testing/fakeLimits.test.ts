import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';
import { AWS_LIMITS, type FakeLimitsOption, fakeLimitsOf } from '../../src/testing/FakeLimits.js';

/** The ConfigError message `new FakeKinesis({ limits })` throws. */
const errorOf = (limits: unknown): string => {
  try {
    new FakeKinesis({ limits: limits as FakeLimitsOption });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('no error');
};

describe('FakeKinesis limits option', () => {
  it('is off by default and with false; true takes AWS figures', () => {
    expect(new FakeKinesis().limits).toBeUndefined();
    expect(new FakeKinesis({ limits: false }).limits).toBeUndefined();
    expect(new FakeKinesis({ limits: true }).limits).toEqual({
      getRecordsPerSecond: 5,
      readBytesPerSecond: 2 * 1024 * 1024,
      writeBytesPerSecond: 1024 * 1024,
      writeRecordsPerSecond: 1000,
      listShardsPerSecond: 1000,
    });
  });

  it('an object changes only what it names (an undefined field keeps AWS’s figure)', () => {
    expect(fakeLimitsOf({ getRecordsPerSecond: 2, writeRecordsPerSecond: undefined })).toEqual({
      ...AWS_LIMITS,
      getRecordsPerSecond: 2,
    });
    expect(fakeLimitsOf({})).toEqual(AWS_LIMITS);
  });

  it('rejects zero, negative, fractional and non-numeric figures, naming the path and the value', () => {
    expect(errorOf({ getRecordsPerSecond: 0 })).toBe(
      'limits.getRecordsPerSecond: expected a whole number from 1 to 1000000000, got 0',
    );
    expect(errorOf({ readBytesPerSecond: -1 })).toBe(
      'limits.readBytesPerSecond: expected a whole number from 1 to 1000000000, got -1',
    );
    expect(errorOf({ writeRecordsPerSecond: 1.5 })).toBe(
      'limits.writeRecordsPerSecond: expected a whole number from 1 to 1000000000, got 1.5',
    );
    expect(errorOf({ writeBytesPerSecond: '1MB' })).toBe(
      'limits.writeBytesPerSecond: expected a whole number from 1 to 1000000000, got "1MB"',
    );
  });

  it('rejects an unknown key with a did-you-mean', () => {
    expect(errorOf({ getRecordPerSecond: 5 })).toMatch(
      /^limits\.getRecordPerSecond: expected no such key \(did you mean "getRecordsPerSecond"\?\)/,
    );
  });

  it('rejects a value that is neither a boolean nor an object', () => {
    expect(errorOf('yes')).toBe('limits: expected boolean or FakeKinesis limits, got "yes"');
    expect(errorOf(null)).toBe('limits: expected boolean or FakeKinesis limits, got null');
  });
});
