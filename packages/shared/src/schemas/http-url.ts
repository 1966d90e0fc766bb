import { isHttpUrl, MAX_URL_LENGTH } from '../http-url.ts';
import { text } from './common.ts';

/** An item link as the API and the import take it: trimmed, http(s) only (the rule: ../http-url.ts). */
export const httpUrlSchema = text().trim().max(MAX_URL_LENGTH).refine(isHttpUrl, 'must be an http:// or https:// URL');
