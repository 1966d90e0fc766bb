import { describe, expect, it } from 'vitest';
import { describeDiff, diffCodebooks } from './codebook-diff.ts';
import { companionCoefficients, defaultLevel, LEVEL_CHOICES, measurementLevel, normalizeLevel, weightsForLevel } from './measurement.ts';
import { FIELD_TYPES, fieldDefinitionSchema, type FieldDefinition } from './schemas/codebook.ts';

const field = (input: unknown): FieldDefinition => fieldDefinitionSchema.parse(input);
const scale = [1, 2, 3, 4, 5].map((value) => ({ value, label: String(value) }));
const impact = field({ key: 'impact', label: 'Civic impact', type: 'ordinal', scale });
const REASON = 'the five points were piloted as equally spaced (cognitive interviews, n = 12)';
const impactInterval = field({ ...impact, level: 'interval', levelReason: REASON });

describe('measurement levels', () => {
  it('default from the type: ordinal scales ordinal, numbers interval, choices nominal, text none', () => {
    expect(Object.fromEntries(FIELD_TYPES.map((t) => [t, defaultLevel(t)]))).toEqual({
      single_choice: 'nominal',
      multiple_choice: 'nominal',
      ordinal: 'ordinal',
      number: 'interval',
      text: null,
      link: 'nominal',
    });
    expect(measurementLevel(impact)).toEqual({ level: 'ordinal', reason: null, source: 'type' });
  });

  it('an ordinal scale may be set to interval in the codebook, and then carries its reason', () => {
    expect(LEVEL_CHOICES.ordinal).toEqual(['ordinal', 'interval']);
    expect(measurementLevel(impactInterval)).toEqual({ level: 'interval', reason: REASON, source: 'codebook' });
  });

  it('refuses a level other than the default without a reason, and a level the type cannot have', () => {
    const noReason = fieldDefinitionSchema.safeParse({ ...impact, level: 'interval' });
    expect(noReason.success).toBe(false);
    expect(noReason.error!.issues.map((i) => i.path.join('.'))).toContain('levelReason');
    expect(fieldDefinitionSchema.safeParse({ ...impact, level: 'interval', levelReason: '   ' }).success).toBe(false);
    expect(fieldDefinitionSchema.safeParse({ ...impact, level: 'ratio', levelReason: 'x' }).success).toBe(false);
    expect(fieldDefinitionSchema.safeParse({ key: 'n', label: 'N', type: 'number', level: 'ratio', levelReason: 'counts have a true zero' }).success).toBe(true);
    // The default level needs no reason.
    expect(fieldDefinitionSchema.safeParse({ ...impact, level: 'ordinal' }).success).toBe(true);
  });

  it('stores the default level as none, so choosing it again is no change of a coded field', () => {
    const explicit = field({ ...impact, level: 'ordinal', levelReason: 'left over' });
    expect(normalizeLevel(explicit)).toEqual(impact);
    expect(JSON.stringify(normalizeLevel(explicit))).toBe(JSON.stringify(impact));
    expect(normalizeLevel(impactInterval)).toBe(impactInterval);
    expect(normalizeLevel(impact)).toBe(impact);
  });

  it('a change of level is a change of the field, described with its reason', () => {
    const diff = diffCodebooks([impact], [impactInterval]);
    expect(diff.fields[0]!.level).toEqual({ from: 'ordinal', to: 'interval', reason: REASON });
    expect(describeDiff(diff)).toEqual([`changed field "impact": measurement level ordinal → interval (reason: "${REASON}")`]);
    expect(describeDiff(diffCodebooks([impactInterval], [impact]))).toEqual(['changed field "impact": measurement level interval → ordinal']);
    expect(diffCodebooks([impact], [field({ ...impact, level: 'ordinal' })]).fields).toEqual([]);
  });
});

describe('the kappa family beside alpha', () => {
  const coefficient = (metric: string, weights: string, value: number, depth: number | null = null) => ({ metric, weights, value, depth, note: null, level: null });
  // Two coders on an ordinal scale: the dashboard once showed unweighted kappa .141 beside ordinal alpha .835.
  const others = [
    coefficient('cohen-kappa', 'unweighted', 0.141),
    coefficient('gwet-ac', 'unweighted', 0.2),
    coefficient('cohen-kappa', 'quadratic', 0.82),
    coefficient('gwet-ac', 'quadratic', 0.9),
  ];

  it('is weighted (quadratic) for ordinal, interval and ratio levels, never the unweighted kappa', () => {
    for (const level of ['ordinal', 'interval', 'ratio']) {
      const c = companionCoefficients({ level, others });
      expect(c.weights).toBe('quadratic');
      expect([c.kappa!.value, c.ac!.value]).toEqual([0.82, 0.9]);
    }
  });

  it('is unweighted kappa and AC1 for nominal levels, and skips alphas per hierarchy depth', () => {
    const nominal = [coefficient('fleiss-kappa', 'unweighted', 0.5, 1), coefficient('fleiss-kappa', 'unweighted', 0.6), coefficient('gwet-ac', 'unweighted', 0.7)];
    const c = companionCoefficients({ level: 'nominal', others: nominal });
    expect([c.weights, c.kappa!.value, c.ac!.value]).toEqual(['unweighted', 0.6, 0.7]);
    expect(weightsForLevel('masi')).toBe('unweighted');
    expect(companionCoefficients({ level: 'masi', others: [] })).toEqual({ weights: 'unweighted', kappa: null, ac: null });
  });
});
