import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from '$lib/navigation.ts';

describe('safeNext', () => {
  it('keeps paths on this site', () => {
    expect(safeNext('/projects/prj_1?phase=joint')).toBe('/projects/prj_1?phase=joint');
    expect(safeNext('/account')).toBe('/account');
  });

  it('refuses anything that could leave the site', () => {
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '\\/evil.example', '', null, undefined]) {
      expect(safeNext(next)).toBe('/');
    }
  });
});

describe('loginUrl', () => {
  it('round-trips the path through the next parameter', () => {
    const url = new URL(loginUrl('/projects/prj_1?q=a&b'), 'http://localhost');
    expect(url.pathname).toBe('/login');
    expect(safeNext(url.searchParams.get('next'))).toBe('/projects/prj_1?q=a&b');
    expect(loginUrl('/')).toBe('/login');
  });
});
