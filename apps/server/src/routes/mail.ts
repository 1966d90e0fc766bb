import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { digestRunSchema, mailPreferencesInput, mailPreferencesSchema, okSchema, passwordResetInput, passwordResetRequestInput, userSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { clientIp } from '../http/middleware.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { resetPasswordWithLink } from '../services/auth/password-reset-link.ts';
import { getMailPreferences, updateMailPreferences } from '../services/mail/preferences.ts';
import { runDigestNow } from '../services/mail/run-digest.ts';
import { errors, jsonBody, jsonContent } from './schemas.ts';

const gone = { 410: errors[400] };

const routes = {
  getPreferences: createRoute({
    method: 'get',
    path: '/auth/mail-preferences',
    summary: 'Which mails the signed-in account gets (mentions, the daily digest)',
    responses: { 200: jsonContent(mailPreferencesSchema), ...errors },
  }),
  putPreferences: createRoute({
    method: 'put',
    path: '/auth/mail-preferences',
    summary: 'Choose which mails the signed-in account gets; kinds left out stay as they are',
    request: { body: jsonBody(mailPreferencesInput) },
    responses: { 200: jsonContent(mailPreferencesSchema), ...errors },
  }),
  requestReset: createRoute({
    method: 'post',
    path: '/auth/password-reset/request',
    summary: 'Ask for a password-reset link by mail; the same answer whether or not an account has this email (429 past the limits per email and per address, counted either way)',
    request: { body: jsonBody(passwordResetRequestInput) },
    responses: { 202: jsonContent(okSchema), ...errors, 429: errors[400] },
  }),
  reset: createRoute({
    method: 'post',
    path: '/auth/password-reset',
    summary: 'Use a mailed one-time reset link: sets the password, ends every session of the account and signs this browser in',
    request: { body: jsonBody(passwordResetInput) },
    responses: { 200: jsonContent(z.object({ user: userSchema })), ...errors, ...gone },
  }),
  digest: createRoute({
    method: 'post',
    path: '/admin/mail/digest',
    summary: 'Send the daily digest now (instance administrators); counts of mails sent, skipped and failed',
    responses: { 200: jsonContent(digestRunSchema), ...errors },
  }),
};

/** Mounted at /api: mail preferences and password reset under /auth, the digest trigger under /admin. */
export function mailRoutes(deps: AppDeps) {
  const { config } = deps;
  return newRouter()
    .openapi(routes.getPreferences, async (c) => c.json(await getMailPreferences({ ctx: serviceContext(deps, c) }), 200))
    .openapi(routes.putPreferences, async (c) => c.json(await updateMailPreferences({ ctx: serviceContext(deps, c), input: c.req.valid('json') }), 200))
    .openapi(routes.requestReset, async (c) => {
      // Answered before any work for the address, so the answer's timing does not tell whether it
      // has an account (services/auth/password-reset-link.ts does the work from the event bus).
      const { email } = c.req.valid('json');
      await deps.resetRequestLimits.take(email, clientIp(c, config.trustProxy));
      deps.events.publish({ type: 'passwordReset.asked', email });
      return c.json({ ok: true as const }, 202);
    })
    .openapi(routes.reset, async (c) => {
      const result = await resetPasswordWithLink({ ctx: serviceContext(deps, c), input: c.req.valid('json'), session: {
        sessionTtlMs: config.sessionTtlMs,
        ip: clientIp(c, config.trustProxy),
        userAgent: c.req.header('user-agent') ?? null,
      } });
      setSessionCookie(c, config, result.session);
      return c.json({ user: result.user }, 200);
    })
    .openapi(routes.digest, async (c) => c.json(await runDigestNow({ ctx: serviceContext(deps, c), mailer: deps.mailer }), 200));
}
