/**
 * `ws(s)://HOST/yjs/<docName>`: the y-websocket endpoint on the API's HTTP server. The
 * handshake is answered at once (socket.io closes unanswered upgrades after ~1 s); the
 * connection is then authenticated (http/socket-auth.ts: `?token=` or the session cookie) and
 * authorized before a single byte of the document is sent. Refusals close with 4401 or 4403;
 * early client messages are buffered and replayed once the connection has joined its room.
 * The connection is tracked by its session and closes when the session ends.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { COLLAB_CLOSE_CODES, COLLAB_PATH_PREFIX, COLLAB_TOKEN_PARAM, type CollabCloseCode } from '@concord/shared';
import type { Database } from '@concord/db';
import type { CollabLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import { refuseForeignUpgrade, type OriginPolicy } from '../http/origin.ts';
import type { Logger } from '../logger.ts';
import { authenticateSocket } from '../http/socket-auth.ts';
import type { LiveSessions } from '../http/live-sessions.ts';
import { resolveDocAccess } from '../services/collab/access.ts';
import { Connection } from './connection.ts';
import type { Rooms } from './rooms.ts';

/** Messages a client may send before its connection is authorized (y-websocket sends 2-3). */
const MAX_EARLY_MESSAGES = 32;

export interface CollabEndpoint {
  /** Handles upgrades under /yjs/ and returns true; leaves every other path alone. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

const toBytes = (data: RawData): Uint8Array => {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

function closeWith(ws: WebSocket, code: CollabCloseCode, reason: string) {
  ws.close(COLLAB_CLOSE_CODES[code], `${code}: ${reason}`.slice(0, 120));
}

export function createCollabEndpoint(options: {
  database: Database;
  logger: Logger;
  rooms: Rooms;
  limits: CollabLimits;
  liveSessions: LiveSessions;
  /** Cross-site upgrades (another site's page) are refused with 403 before any WebSocket exists. */
  origins: OriginPolicy;
}): CollabEndpoint {
  const { database, logger, rooms, limits, liveSessions } = options;
  // ws refuses frames above maxPayload itself (1009); up to there we close with our own code and reason.
  // No compression: Yjs updates are small, and relayed frames are written to the socket directly (connection.ts).
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2, perMessageDeflate: false });

  async function accept(ws: WebSocket, socket: Duplex, req: IncomingMessage, url: URL, name: string) {
    const early: Uint8Array[] = [];
    let connection: Connection | null = null;
    let release: (() => void) | null = null;
    let untrack: (() => void) | null = null;
    let socketClosed = false;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        closeWith(ws, 'BAD_REQUEST', 'text frames are not part of the protocol');
        return;
      }
      if (connection) connection.receive(toBytes(data));
      else if (early.length >= MAX_EARLY_MESSAGES) closeWith(ws, 'RATE_LIMITED', 'too many messages before the connection was authorized');
      else early.push(toBytes(data));
    });
    ws.on('pong', () => {
      if (connection) connection.alive = true;
    });
    ws.on('error', (err) => logger.debug({ err, doc: name }, 'live document socket error'));
    ws.on('close', (code) => {
      socketClosed = true;
      if (connection) {
        connection.closed = true;
        connection.room.leave(connection);
        rooms.connections.delete(connection);
        const ms = Math.round(performance.now() - connection.openedAt);
        logger.debug({ doc: name, userId: connection.actor.userId, code, ms, messages: connection.messages }, 'live document session');
      }
      release?.();
      untrack?.();
    });

    try {
      const session = await authenticateSocket(database.db, req, url.searchParams.get(COLLAB_TOKEN_PARAM));
      const actor = session.actor;
      if (socketClosed) return;
      untrack = liveSessions.track(session, (reason) => (connection ? connection.close('UNAUTHENTICATED', reason) : closeWith(ws, 'UNAUTHENTICATED', reason)));
      const access = await resolveDocAccess({ ctx: { db: database.db, actor, logger }, name });
      if (socketClosed) return;
      const lease = await rooms.acquire(name, access.doc);
      release = lease.release;
      if (socketClosed) return lease.release();
      connection = new Connection(ws, socket, actor, access, lease.room, limits, logger);
      rooms.connections.add(connection);
      lease.room.join(connection);
      for (const message of early.splice(0)) connection.receive(message);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN' || err.code === 'PASSWORD_CHANGE_REQUIRED')) {
        return closeWith(ws, err.code, err.message);
      }
      logger.error({ err, doc: name }, 'live document connection failed');
      closeWith(ws, 'INTERNAL', 'the document could not be opened');
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false;
      if (refuseForeignUpgrade(req, socket, options.origins)) return true;
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice(COLLAB_PATH_PREFIX.length));
      } catch {
        name = '';
      }
      wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, socket, req, url, name));
      return true;
    },
    close() {
      wss.close();
    },
  };
}
