/**
 * Calling the real API from tests through the typed client (`createApiClient`): `ok` is the
 * server package's own (`@concord/server/testing`), which its API tests use with `Harness.client`.
 */
export { ok, type OkBody } from '@concord/server/testing';
