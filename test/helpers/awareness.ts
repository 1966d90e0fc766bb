/**
 * Watches the presence (Yjs awareness) of a live document as another client does: a y-websocket
 * client in Node, signed in by cookie, that records every awareness update the server relays.
 */
import type { AwarenessState } from '@concord/shared';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface AwarenessSeen {
  clientId: number;
  /** The state relayed, or null when the client left. */
  state: AwarenessState | null;
  /** When it arrived (Date.now()). */
  at: number;
  /** Which relayed message it came in (1, 2, …): states sharing one came together, as a server renewal sends them. */
  message: number;
}

export interface AwarenessWatch {
  /** Every update relayed for another client, in arrival order (unchanged states too). */
  readonly seen: AwarenessSeen[];
  close(): void;
}

/**
 * Opens `docName` on `baseUrl`'s /yjs as the holder of `cookie`, publishing no presence of its own,
 * or, with `present`, an unchanging presence (the identity the server stamps, no field): others
 * then see this client in every renewal the server sends.
 */
export function watchAwareness(baseUrl: string, docName: string, cookie: string, options: { present?: boolean } = {}): AwarenessWatch {
  const origin = new URL(baseUrl).origin;
  const Socket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie, origin } });
    }
  };
  const wsUrl = `${origin.replace(/^http/, 'ws')}/yjs`;
  const provider = new WebsocketProvider(wsUrl, docName, new Y.Doc(), {
    WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const awareness = provider.awareness;
  awareness.setLocalState(options.present ? {} : null);
  const seen: AwarenessSeen[] = [];
  let message = 0;
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    // The provider applies each relayed message in one call (origin: the provider); local changes are not messages.
    if (origin === 'local') return;
    message++;
    for (const clientId of [...added, ...updated, ...removed]) {
      if (clientId === awareness.clientID) continue;
      seen.push({ clientId, state: (awareness.getStates().get(clientId) as AwarenessState | undefined) ?? null, at: Date.now(), message });
    }
  });
  return {
    seen,
    close: () => {
      provider.destroy();
      provider.doc.destroy();
    },
  };
}
