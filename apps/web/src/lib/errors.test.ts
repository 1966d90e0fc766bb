import { describe, expect, it } from 'vitest';
import { ApiError, messageOf, toApiError } from '$lib/errors.ts';

describe('toApiError', () => {
  it("keeps the API's code and message", () => {
    const err = toApiError(401, { error: { code: 'UNAUTHENTICATED', message: 'wrong email or password' } });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'wrong email or password' });
  });

  it('maps an unknown code to INTERNAL but keeps the message', () => {
    expect(toApiError(418, { error: { code: 'TEAPOT', message: 'short and stout' } })).toMatchObject({
      code: 'INTERNAL',
      message: 'short and stout',
    });
  });

  it('explains responses that carry no error body', () => {
    expect(toApiError(401, null).message).toBe('You are not signed in.');
    expect(toApiError(404, '<html>').code).toBe('NOT_FOUND');
    expect(toApiError(502, { error: 'bad gateway' }).message).toBe('The server answered with status 502.');
  });
});

describe('messageOf', () => {
  it('prefers the API message and names network failures', () => {
    expect(messageOf(new ApiError(409, 'CONFLICT', 'already exists'))).toBe('already exists');
    expect(messageOf(new TypeError('fetch failed'))).toMatch(/could not be reached/);
    expect(messageOf(new Error('boom'))).toBe('Something went wrong.');
  });
});
