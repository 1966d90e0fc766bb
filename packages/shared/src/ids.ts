/**
 * Prefixed ids (`prj_…`, `itm_…`) tell what an id names wherever it shows up:
 * logs, exports, URLs. The random part is 16 characters of base32 (80 bits).
 */
export const ID_PREFIXES = {
  user: 'usr',
  project: 'prj',
  codebook: 'cbk',
  codebookVersion: 'cbv',
  field: 'fld',
  incident: 'inc',
  item: 'itm',
  round: 'rnd',
  assignment: 'asg',
  coding: 'cod',
  adjudication: 'adj',
  comment: 'cmt',
  import: 'imp',
  invite: 'ivt',
  annotation: 'ann',
  passwordReset: 'pwr',
  token: 'tok',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newId(kind: IdKind): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let out = `${ID_PREFIXES[kind]}_`;
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}
