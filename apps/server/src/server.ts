/**
 * One process serves everything: /api goes to the Hono app, WebSocket upgrades under /yjs/
 * to the live documents, /socket.io to the project rooms (realtime/), every other path to the SvelteKit (adapter-node) handler. Used by main.ts and by tests that need a real
 * server on a real port.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Database } from '@concord/db';
import { createApp } from './app.ts';
import { createCollabEndpoint } from './collab/ws-endpoint.ts';
import type { Config } from './config.ts';
import { createDeps, type Deps } from './deps.ts';
import { prepareInstance } from './instance.ts';
import { setWebSecurityHeaders } from './http/security-headers.ts';
import type { Logger } from './logger.ts';
import { createRealtime, type Realtime } from './realtime/index.ts';
import { startDigestSchedule } from './services/mail/digest-schedule.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  server: Server;
  /** socket.io project rooms at /socket.io. */
  realtime: Realtime;
  close(): Promise<void>;
}

async function loadWebHandler(webBuildDir: string | null, logger: Logger): Promise<NodeHandler | null> {
  if (!webBuildDir) return null;
  const file = path.join(webBuildDir, 'handler.js');
  if (!existsSync(file)) {
    logger.warn({ webBuildDir }, 'no web build found: serving the API only (run `pnpm build`)');
    return null;
  }
  const mod = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
  return mod.handler;
}

export async function startConcord(config: Config, options: { database?: Database; logger?: Logger } = {}): Promise<RunningServer> {
  const deps = await createDeps(config, options);
  await prepareInstance(deps);
  const app = createApp(deps);
  const api = getRequestListener(app.fetch);
  const web = await loadWebHandler(config.webBuildDir, deps.logger);

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?') || url === '/metrics' || url.startsWith('/metrics?') || !web) {
      void api(req, res);
      return;
    }
    setWebSecurityHeaders(req, res, config);
    web(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  const collab = createCollabEndpoint({ database: deps.database, logger: deps.logger, rooms: deps.collab, limits: config.collab, liveSessions: deps.liveSessions, origins: config });
  // Only /yjs/ upgrades are ours; other paths are left to their own listeners (socket.io).
  server.on('upgrade', (req, socket, head) => void collab.handleUpgrade(req, socket, head));
  // socket.io at /socket.io on the same server (it leaves /yjs upgrades alone: destroyUpgrade off).
  const realtime = await createRealtime(server, deps);
  deps.metrics.watch({ openDocuments: () => deps.collab.openRooms(), yjsConnections: () => deps.collab.connections.size, socketioConnections: () => realtime.io.of('/').sockets.size });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  deps.mailer.useServerUrl(url);
  const digest = await startDigestSchedule({
    ctx: { db: deps.database.db, actor: null, logger: deps.logger, metrics: deps.metrics },
    mailer: deps.mailer,
    logger: deps.logger,
    redis: config.redisUrl ? { url: config.redisUrl, prefix: config.redisPrefix } : null,
  });
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    deps,
    server,
    realtime,
    close() {
      closing ??= (async () => {
        await digest.stop();
        await realtime.close();
        collab.close();
        // Live connections first: their rooms flush while the database is still open.
        await deps.collab.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await deps.close();
      })();
      return closing;
    },
  };
}
