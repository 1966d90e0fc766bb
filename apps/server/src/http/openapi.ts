/**
 * The OpenAPI document at /api/openapi.json, finished in one place so route files only describe
 * their routes: both security schemes, each operation's security (derived from its method unless
 * the route declares it) and a stable `operationId` (derived from method and path unless the
 * route sets one). `redocly lint` with its recommended rules runs on it (test/openapi.lint.test.ts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';
import { SESSION_COOKIE } from '../services/auth/sessions.ts';

type Router = OpenAPIHono<AppEnv>;
type Document = ReturnType<Router['getOpenAPI31Document']>;
type Requirement = Record<string, string[]>;

export const SECURITY_SCHEMES = {
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /api/auth/login (the web app).' },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal access token (`concord_pat_…`) made on the account page: read-only (GET), scope `read` or `read-export`.',
  },
} as const;

/** Route-level `security` values for the routes that are not the default. */
export const SECURITY = {
  /** No credentials needed (sign-in, setup, health, one-time links). */
  public: [] as Requirement[],
  /** Works signed out and signed in (a one-time link an existing account accepts as itself). */
  optionalSession: [{}, { session: [] }] as Requirement[],
  /** The session only, even for a GET (token management). */
  sessionOnly: [{ session: [] }] as Requirement[],
};

/** Tokens only read: a GET takes either credential, anything else the session (services/authz.ts). */
const defaultSecurity = (method: string): Requirement[] => (method === 'get' || method === 'head' ? [{ session: [] }, { bearer: [] }] : [{ session: [] }]);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * `GET /api/projects/{projectId}/export/codings.csv` → `getProjectsExportCodingsCsv`: the method,
 * then every literal path segment (split at non-alphanumerics); a path ending in a parameter
 * ends in `By<Param>` (`deleteAuthTokensByTokenId`). Depends only on the route, so an id never
 * changes while its route does not; two routes that would share one must set `operationId`.
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.replace(/^\/api(?=\/|$)/, '').split('/').filter(Boolean);
  const words = segments.filter((s) => !s.startsWith('{')).flatMap((s) => s.split(/[^A-Za-z0-9]+/).filter(Boolean));
  const last = segments.at(-1);
  const by = last?.startsWith('{') ? `By${pascal(last.slice(1, -1))}` : '';
  return `${method.toLowerCase()}${words.map(pascal).join('')}${by}`;
}

/** Registers the security schemes; call once on the root router. */
export function registerSecuritySchemes(app: Router): void {
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
}

/** The generated document with every operation's id and security filled in. */
export function finishDocument(doc: Document): Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.operationId ??= operationIdOf(method, path);
      operation.security ??= defaultSecurity(method);
    }
  }
  return doc;
}

/** Serves the document at `path`, built once on first request (routes do not change after start). */
export function serveDocument(app: Router, path: string, info: Document['info']): void {
  let document: Document | undefined;
  app.get(path, (c) => {
    document ??= finishDocument(app.getOpenAPI31Document({ openapi: '3.1.0', info, servers: [{ url: '/', description: 'This Concord instance' }] }));
    return c.json(document);
  });
}
