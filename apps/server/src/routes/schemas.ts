/** Response envelopes shared by the route modules (the domain schemas live in @concord/shared). */
import { z } from 'zod';
import { ERROR_CODES, text } from '@concord/shared';

export const errorResponse = {
  content: {
    'application/json': {
      schema: z.object({
        error: z.object({
          code: z.enum(ERROR_CODES),
          message: text(),
          details: z.array(z.object({ message: text() }).loose()).optional(),
          requestId: text().optional(),
        }),
      }),
    },
  },
  description: 'error',
} as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description = 'ok') => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

export const projectParams = z.object({ projectId: text().max(100) });
export const itemParams = projectParams.extend({ itemId: text().max(100) });

export const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse } as const;
