/**
 * When postgres.js puts a query on the wire, depending on where it was started: it writes from a
 * `setImmediate`, so a query started in a setImmediate callback (the check phase) waits for the
 * next turn's poll phase, and every socket read ready by then is handled first; one started in
 * an I/O callback (the poll phase) leaves in the same turn's check phase. A local socket pair
 * stands for the clients' connections: a byte is written to it just before the query starts,
 * and the bench records whether its read ran before the query's write. Prints one JSON line.
 *
 *   pnpm exec tsx bench/pg-write-turn.ts [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--reps 20]
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import postgres from 'postgres';

const { values: flags } = parseArgs({
  options: { 'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' }, reps: { type: 'string', default: '20' } },
});
const sql = postgres(flags['database-url']!, { max: 1, onnotice: () => {} });
const QUERY = 'select $1::int';
await sql.unsafe(QUERY, [0], { prepare: true }); // prepared: the hot path's one write per query

const server = net.createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as net.AddressInfo).port;
const [reader, writer] = await Promise.all([
  new Promise<net.Socket>((resolve) => server.once('connection', resolve)),
  new Promise<net.Socket>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
  }),
]);
const events: string[] = [];
const onData = () => events.push('read');
reader.on('data', onData);
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
  if (this !== writer) events.push('query');
  return write.apply(this, args);
} as net.Socket['write'];

/** Of `reps` queries started from `schedule`, how many were written after a read that became ready after they started. */
async function readsFirst(schedule: (run: () => void) => void): Promise<number> {
  let n = 0;
  for (let i = 0; i < Number(flags.reps); i++) {
    events.length = 0;
    await new Promise<void>((resolve) =>
      schedule(() => {
        events.length = 0; // from here: the read of the poll-phase variant's trigger is not counted
        writer.write('x');
        void sql.unsafe(QUERY, [i], { prepare: true }).then(() => setTimeout(resolve, 5));
      }),
    );
    if (events.indexOf('read') < events.indexOf('query')) n++;
  }
  return n;
}

const fromCheckPhase = await readsFirst((run) => setImmediate(run));
// From the poll phase: in the callback of a read.
const fromPollPhase = await readsFirst((run) => {
  reader.once('data', run);
  writer.write('go');
});
net.Socket.prototype.write = write;
reader.destroy();
writer.destroy();
server.close();
await sql.end();
console.log(JSON.stringify({ bench: 'pg-write-turn', reps: Number(flags.reps), readBeforeQueryWritten: { fromSetImmediate: fromCheckPhase, fromSocketRead: fromPollPhase } }));
