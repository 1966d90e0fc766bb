import { describe, expect, it } from 'vitest';
import { memberHandles, mentionHandles, renameMentions, resolveMentions } from './mentions.ts';

const members = [
  { userId: 'u1', email: 'coder1@demo.concord', name: 'Aida Coder' },
  { userId: 'u2', email: 'Dana.K@demo.concord', name: 'Dana Coder' },
  { userId: 'u3', email: 'editor@demo.concord', name: 'Erlan Editor' },
];

describe('mentions', () => {
  it('reads handles after a boundary, drops a sentence-ending dot, ignores email addresses', () => {
    expect(mentionHandles('@coder1 and @Dana.K. see mail to x@demo.concord (@erlaneditor)')).toEqual(['coder1', 'dana.k', 'erlaneditor']);
    expect(mentionHandles('no mention, a@b and @ alone')).toEqual([]);
    expect(mentionHandles('@coder1 @CODER1')).toEqual(['coder1']);
  });

  it("names a member by the email's local part or the display name without spaces", () => {
    expect(memberHandles(members[1]!)).toEqual(['dana.k', 'danacoder']);
    expect(resolveMentions('@AidaCoder, @dana.k and @editor: is this satire? @nobody', members)).toEqual(['u1', 'u2', 'u3']);
    expect(resolveMentions('@coder1 @aidacoder', members)).toEqual(['u1']);
  });

  it('renames the handles it is told of, keeping the rest of the text and a sentence-ending dot', () => {
    const names = new Map([['dana.k', 'C2'], ['aidacoder', 'C1']]);
    const rename = (h: string) => names.get(h);
    expect(renameMentions('@Dana.K. and @AidaCoder, not @nobody or x@dana.k', rename)).toBe('@C2. and @C1, not @nobody or x@dana.k');
    expect(renameMentions('no mention', rename)).toBe('no mention');
  });
});
