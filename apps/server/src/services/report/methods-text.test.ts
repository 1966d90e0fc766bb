import { describe, expect, it } from 'vitest';
import { versionStatement } from './methods-text.ts';

const name = 'CMO codebook';

describe('versionStatement', () => {
  it('names the current version only when every coding was made under it', () => {
    expect(versionStatement({ codebookName: name, codebookVersion: 3, codedUnder: [3], mixedFields: [] })).toBe(
      'Every coding used was made under the codebook "CMO codebook", version 3, the current one.',
    );
  });

  it('says the codings were made under version 2 when the codebook is at version 3 (issue 14: it said "under version 3")', () => {
    const text = versionStatement({ codebookName: name, codebookVersion: 3, codedUnder: [2], mixedFields: [] });
    expect(text).toBe(
      'Every coding used was made under the codebook "CMO codebook", version 2; they are read with the field definitions of the current version, 3, and values that no longer fit them are left out.',
    );
    expect(text).not.toContain('version 3,');
  });

  it('lists mixed versions and the fields that mix them', () => {
    expect(versionStatement({ codebookName: name, codebookVersion: 3, codedUnder: [1, 2, 3], mixedFields: ['Civic impact score', 'Narrative frames'] })).toBe(
      'The codings used were made under versions 1, 2 and 3 of the codebook "CMO codebook" (mixed versions within civic impact score and narrative frames, see below); ' +
        'they are read with the field definitions of the current version, 3, and values that no longer fit them are left out.',
    );
  });

  it('says when nothing is coded yet', () => {
    expect(versionStatement({ codebookName: name, codebookVersion: 1, codedUnder: [], mixedFields: [] })).toBe('The codebook is "CMO codebook", version 1; no codings are used yet.');
  });
});
