/**
 * The clients of bench/collab-relay.ts, in a process of their own (their CPU is not the
 * server's): opens the sockets the parent asks for, counts the messages they receive, and
 * tells the parent when the count reaches what it waits for.
 *
 * Parent → child: { open: url[] } | { expect: number }; child → parent: { opened } | { reached }.
 */
import WebSocket from 'ws';

let received = 0;
let target = Infinity;
const sockets: WebSocket[] = [];

function check() {
  if (received >= target) {
    target = Infinity;
    process.send!({ reached: received });
  }
}

process.on('message', (message: { open?: string[]; expect?: number }) => {
  if (message.open) {
    let opened = 0;
    for (const url of message.open) {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.on('message', () => {
        received++;
        check();
      });
      ws.once('open', () => {
        if (++opened === message.open!.length) process.send!({ opened });
      });
      sockets.push(ws);
    }
  }
  if (message.expect !== undefined) {
    target = message.expect;
    check();
  }
});
process.on('disconnect', () => process.exit(0));
