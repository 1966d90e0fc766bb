import type { ErrorCode } from './errors.ts';

/**
 * The live co-coding contract (Yjs over the y-websocket protocol at `/yjs/<docName>`):
 * document names, document shape, close codes and the awareness allow-list.
 * Server and web import these; nothing here depends on Yjs itself.
 */

export const COLLAB_PATH_PREFIX = '/yjs/';
/** Query parameter carrying a token from `POST /api/auth/ws-token` (clients that cannot send the cookie). */
export const COLLAB_TOKEN_PARAM = 'token';
/** How long a ws token may be used to open connections. */
export const WS_TOKEN_TTL_MS = 60_000;

export type DocName = { kind: 'item'; itemId: string } | { kind: 'coding'; itemId: string; coderId: string } | { kind: 'joint'; itemId: string };

const ID = /^[a-z]{3}_[a-z2-7]{16}$/;

/** The shared document of an item: annotations, memos, discussion. */
export const itemDocName = (itemId: string) => `item:${itemId}`;
/** One coder's values on an item. */
export const codingDocName = (itemId: string, coderId: string) => `coding:${itemId}:${coderId}`;
/**
 * The joint layer of an item (issue 13, item 4): the values its coders change together in a
 * joint session, apart from their own (frozen, blind) submissions. Opened only once the item
 * is in the joint phase, by its coders and the managers.
 */
export const jointDocName = (itemId: string) => `joint:${itemId}`;

export function formatDocName(doc: DocName): string {
  if (doc.kind === 'item') return itemDocName(doc.itemId);
  if (doc.kind === 'joint') return jointDocName(doc.itemId);
  return codingDocName(doc.itemId, doc.coderId);
}

/** Parses a document name; null for anything that is not exactly one of the three shapes. */
export function parseDocName(name: string): DocName | null {
  const parts = name.split(':');
  if (parts[0] === 'item' && parts.length === 2 && ID.test(parts[1]!)) return { kind: 'item', itemId: parts[1]! };
  if (parts[0] === 'joint' && parts.length === 2 && ID.test(parts[1]!)) return { kind: 'joint', itemId: parts[1]! };
  if (parts[0] === 'coding' && parts.length === 3 && ID.test(parts[1]!) && ID.test(parts[2]!)) {
    return { kind: 'coding', itemId: parts[1]!, coderId: parts[2]! };
  }
  return null;
}

/** Root types of an item document. */
export const ITEM_DOC = {
  /**
   * Y.Array of Annotation objects (see annotations.ts): span tags written where everyone on
   * the item sees them (joint and revealed phases, and managers' tags).
   */
  annotations: 'annotations',
  /** Y.Map of memo id → memo. */
  memos: 'memos',
  /** Y.Array of discussion messages. */
  discussion: 'discussion',
} as const;

/** Root types of a coding document. */
export const CODING_DOC = {
  /** Y.Map of field key → CodingValue (plain JSON, replaced whole). A missing key is a missing value. */
  values: 'values',
  /**
   * Y.Array of Annotation objects: the coder's own span tags during independent coding, when
   * the shared item document is read-only to coders. They live here so the coding document's
   * blind rules hide them until the item is revealed (or a joint session opens). The codings
   * projection reads `values` only.
   */
  annotations: 'annotations',
} as const;

/** Root types of a joint document. */
export const JOINT_DOC = {
  /** Y.Map of field key → CodingValue: the values the session agrees on so far (drafts; the editor's decision is recorded apart). */
  values: 'values',
} as const;

/**
 * WebSocket close codes. They reuse the error vocabulary; 44xx codes are permanent
 * (y-websocket does not reconnect), 4500 is transient (it does).
 */
export const COLLAB_CLOSE_CODES = {
  BAD_REQUEST: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  /** The account must change its generated password first (reason says so; same code as FORBIDDEN). */
  PASSWORD_CHANGE_REQUIRED: 4403,
  CONFLICT: 4409,
  PAYLOAD_TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  INTERNAL: 4500,
} as const satisfies Partial<Record<ErrorCode, number>>;

export type CollabCloseCode = keyof typeof COLLAB_CLOSE_CODES;

/**
 * Presence: the only awareness fields the server relays. The server stamps `user` itself
 * (the account's id and name, and a colour from the id), whatever the client sends; the only
 * thing a client contributes is `focus`, and only outside the independent phase. While an
 * item is coded blind, presence says "this person is on this item" and nothing else, and
 * changes only when they arrive or leave (see SECURITY.md).
 */
export interface AwarenessState {
  user?: { id: string; name: string; color: string };
  /** The codebook field (or item part) the user is on; never its value. Never relayed in the independent phase. */
  focus?: { fieldKey: string } | null;
}
export const AWARENESS_NAME_MAX = 80;
export const AWARENESS_COLOR = /^#[0-9a-fA-F]{6}$/;
export const AWARENESS_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** A stable presence colour for a user id (#rrggbb, as the awareness allow-list requires). */
export function presenceColor(userId: string): string {
  const palette = ['#2f5d8a', '#1f6f43', '#a4262c', '#7a4fa3', '#b25e09', '#0f7c86', '#8a5a2f', '#5b6b16'];
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}
