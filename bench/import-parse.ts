/**
 * The import's node-side work without a database: the bench/import.ts file (100,000 rows by
 * default) read by `collect` (parse, check, convert, summarize) and then by `replay` (the second
 * reading, converted rows handed on in 5,000-row batches), repeated REPS times. Prints one JSON
 * line: CPU seconds per reading (median of the repetitions), a fixed-work figure steadier than
 * the whole bench's wall time on a loaded host.
 */
import { loadavg } from 'node:os';
import { collect, replay } from '../apps/server/src/services/import/collect.ts';
import { WRITE_BATCH } from '../apps/server/src/services/import/import-items.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const REPS = Number(process.argv[3] ?? 5);
/** The whole-rows budget (collect.ts): 0 reads the file twice, as a file over the budget is. */
const BUDGET = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const header = 'External ID,Headline,Link,Media platform,Account,Date,Text,Reach,Likes,Incident\n';
const line = (i: number) =>
  `KZ-${i},"Item ${i}: a post about the arrest",https://example.org/p/${i},${['Facebook', 'Twitter', 'Instagram', 'Telegram', 'News'][i % 5]},account${i % 997},2022-01-${String((i % 28) + 1).padStart(2, '0')},"Synthetic body text for item ${i}, with a comma",${i * 7},${i % 500},${i % 2 ? 'Arrest' : 'Election'}\n`;
function* chunks() {
  let chunk = header;
  for (let i = 0; i < ROWS; i++) {
    chunk += line(i);
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
const mapping = { externalId: 'External ID', title: 'Headline', platform: 'Media platform', author: 'Account', body: 'Text' };
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const first: number[] = [];
const second: number[] = [];
for (let r = 0; r < REPS; r++) {
  const source = { format: 'csv' as const, body: chunks(), mapping };
  const a = cpu();
  const out = await collect(source, {}, 'throw', false, BUDGET);
  const b = cpu();
  let rows = 0;
  await replay({ source, options: {}, first: out, size: WRITE_BATCH, onBatch: async (batch) => void (rows += batch.length) });
  const c = cpu();
  if (rows !== ROWS) throw new Error(`replayed ${rows} rows`);
  first.push(b - a);
  second.push(c - b);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ bench: 'import-parse', rows: ROWS, reps: REPS, budget: BUDGET ?? 'default', collectCpuSeconds: Number(median(first).toFixed(3)), replayCpuSeconds: Number(median(second).toFixed(3)), loadAverage: Number(loadavg()[0]!.toFixed(1)) }));
