import { describe, expect, it } from 'vitest';
import { lazy } from './lazy.ts';

describe('lazy', () => {
  it('loads once, then gives the component itself (not a promise), so {#await} renders it at once', async () => {
    let loads = 0;
    const component = { name: 'Panel' };
    const panel = lazy(async () => {
      loads += 1;
      return { default: component };
    });
    const first = panel();
    expect(first).toBeInstanceOf(Promise);
    expect(panel()).toBe(first); // a second render while loading waits for the same import
    expect(await first).toBe(component);
    expect(panel()).toBe(component);
    expect(loads).toBe(1);
  });

  it('keeps no failed load: the next render tries again', async () => {
    let attempts = 0;
    const component = { name: 'Panel' };
    const panel = lazy(async () => {
      attempts += 1;
      if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { default: component };
    });
    await expect(panel()).rejects.toThrow('Failed to fetch');
    expect(await panel()).toBe(component);
    expect(panel()).toBe(component);
    expect(attempts).toBe(2);
  });
});
