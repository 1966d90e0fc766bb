/**
 * Field keys (and imported option values) from labels, one rule for the codebook editor and
 * the REFI-QDA import: lowercase ASCII letters, digits and _, starting with a letter.
 */

/** A field key from a label, unique among `taken`: `Civic impact score` -> `civic_impact_score`. */
export function keyFromLabel(label: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
  if (!/^[a-z]/.test(base)) base = `field${base ? `_${base}` : ''}`;
  let key = base;
  for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
  return key;
}
