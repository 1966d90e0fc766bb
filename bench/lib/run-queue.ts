/**
 * Time spent waiting for a CPU (the kernel's run queue: /proc/<pid>/task/<tid>/schedstat, second
 * field, ns), for the server's threads, this (client) process and the PostgreSQL backends of the
 * bench's database, with PostgreSQL's commit count: whether a commit's latency is the database's
 * work or its backend waiting for a core (on a 2-core host PostgreSQL shares one with the clients).
 */
import { readdir, readFile } from 'node:fs/promises';
import postgres from 'postgres';

/** Run-queue wait of every thread of a process (ns), or 0 once it is gone. */
export async function runQueueNs(pid: number): Promise<number> {
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    const waits = await Promise.all(tids.map((tid) => readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').then((s) => Number(s.split(' ')[1]), () => 0)));
    return waits.reduce((a, b) => a + b, 0);
  } catch {
    return 0;
  }
}

export interface RunQueueSample {
  serverNs: number[];
  clientNs: number;
  /** Backend pid → its wait (ns); backends come and go with the pool. */
  backendNs: Map<number, number>;
  commits: number;
}

/** Samples the waits and the database's commits (`databaseUrl`: null without PostgreSQL). */
export function runQueueProbe(serverPids: number[], databaseUrl: string | null) {
  const sql = databaseUrl ? postgres(databaseUrl, { max: 1, onnotice: () => {} }) : null;
  return {
    async sample(): Promise<RunQueueSample> {
      const [serverNs, clientNs] = await Promise.all([Promise.all(serverPids.map(runQueueNs)), runQueueNs(process.pid)]);
      const backendNs = new Map<number, number>();
      let commits = 0;
      if (sql) {
        const backends = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        for (const { pid } of backends) backendNs.set(pid, await runQueueNs(pid));
        const [row] = await sql<{ n: string }[]>`select xact_commit::text as n from pg_stat_database where datname = current_database()`;
        commits = Number(row?.n ?? 0);
      }
      return { serverNs, clientNs, backendNs, commits };
    },
    /** Waits between two samples: ms per second of the phase, and the backends' ms per commit. */
    figures(a: RunQueueSample, b: RunQueueSample, seconds: number) {
      const ms = (ns: number) => ns / 1e6;
      const r = (n: number) => Number(n.toFixed(3));
      let backendWait = 0;
      for (const [pid, ns] of b.backendNs) backendWait += ns - (a.backendNs.get(pid) ?? 0);
      const commits = b.commits - a.commits;
      return {
        serverMsPerS: b.serverNs.map((ns, i) => r(ms(ns - (a.serverNs[i] ?? 0)) / seconds)),
        clientMsPerS: r(ms(b.clientNs - a.clientNs) / seconds),
        ...(sql ? { postgresBackendsMsPerS: r(ms(backendWait) / seconds), commits, postgresBackendMsPerCommit: commits ? r(ms(backendWait) / commits) : null } : {}),
      };
    },
    close: () => sql?.end({ timeout: 1 }),
  };
}
