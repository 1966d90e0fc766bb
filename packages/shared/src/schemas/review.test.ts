import { describe, expect, it } from 'vitest';
import { verdictOf } from './review.ts';

describe('verdictOf', () => {
  it("judges the CI's lower bound against .800 and .667, and calls a missing interval insufficient", () => {
    expect([0.95, 0.8, 0.7999, 0.667, 0.6669, 0, -0.4].map(verdictOf)).toEqual(['reliable', 'reliable', 'tentative', 'tentative', 'unreliable', 'unreliable', 'unreliable']);
    expect([null, undefined, Number.NaN].map(verdictOf)).toEqual(['insufficient', 'insufficient', 'insufficient']);
  });
});
