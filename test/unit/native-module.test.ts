/**
 * Which keytar.node the standalone executable loads from its folder (src/node/standalone.ts):
 * only one that no other local user could have planted or swapped.
 */
import { describe, expect, it } from 'vitest';
import { nativeModuleProblem, type OwnerFacts } from '../../src/node/standalone';

const ME = 1000;
const file = (o: Partial<OwnerFacts> = {}): OwnerFacts => ({
  uid: ME,
  mode: 0o100644,
  isFile: true,
  isSymbolicLink: false,
  ...o,
});
const folder = (o: Partial<OwnerFacts> = {}): OwnerFacts => ({
  uid: ME,
  mode: 0o40755,
  isFile: false,
  isSymbolicLink: false,
  ...o,
});

describe('nativeModuleProblem', () => {
  it("loads the user's or root's own module from a folder only they write to", () => {
    expect(nativeModuleProblem(file(), folder(), ME)).toBeUndefined();
    expect(nativeModuleProblem(file({ uid: 0 }), folder({ uid: 0 }), ME)).toBeUndefined();
    // A sticky shared folder (like /tmp): others cannot replace a file they do not own.
    expect(nativeModuleProblem(file(), folder({ uid: 0, mode: 0o41777 }), ME)).toBeUndefined();
  });

  it('refuses what another user owns or may write, and anything but a regular file', () => {
    expect(nativeModuleProblem(file({ uid: 1001 }), folder(), ME)).toBe(
      'it belongs to another user',
    );
    expect(nativeModuleProblem(file({ mode: 0o100664 }), folder(), ME)).toBe(
      'others may write to it',
    );
    expect(nativeModuleProblem(file({ mode: 0o100646 }), folder(), ME)).toBe(
      'others may write to it',
    );
    expect(nativeModuleProblem(file({ isSymbolicLink: true }), folder(), ME)).toBe(
      'it is not a regular file',
    );
    expect(nativeModuleProblem(file({ isFile: false }), folder(), ME)).toBe(
      'it is not a regular file',
    );
    expect(nativeModuleProblem(file(), folder({ uid: 1001 }), ME)).toBe(
      'its folder belongs to another user',
    );
    expect(nativeModuleProblem(file(), folder({ mode: 0o40777 }), ME)).toBe(
      'others may write to its folder',
    );
    expect(nativeModuleProblem(file(), folder({ mode: 0o40775 }), ME)).toBe(
      'others may write to its folder',
    );
  });
});
