/**
 * What the realtime benches need from a running Concord server: the first owner, a project
 * with N items (one `item:` live document each) and a signed-in session cookie, all through
 * the public API, as a new instance would get them.
 */
export const BENCH_OWNER = { email: 'owner@realtime.bench', name: 'Bench Owner', password: 'realtime bench password' };

export async function api(baseUrl: string, cookie: string | null, method: string, urlPath: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 500)}`);
  return { json: text ? (JSON.parse(text) as unknown) : null, setCookie: res.headers.get('set-cookie') };
}

/** Sets up an empty instance; returns the owner's cookie (`concord_session=…`), user id and the items' document names. */
export async function setUpBenchProject(baseUrl: string, docs: number): Promise<{ cookie: string; userId: string; docNames: string[] }> {
  const { email, name, password } = BENCH_OWNER;
  await api(baseUrl, null, 'POST', '/api/auth/setup', { email, name, password });
  const login = await api(baseUrl, null, 'POST', '/api/auth/login', { email, password });
  const cookie = /concord_session=[^;]+/.exec(login.setCookie ?? '')?.[0];
  if (!cookie) throw new Error('login set no session cookie');
  const userId = (login.json as { user: { id: string } }).user.id;
  const project = (await api(baseUrl, cookie, 'POST', '/api/projects', { name: 'realtime bench' })).json as { id: string };
  const records = Array.from({ length: docs }, (_, i) => ({ title: `bench item ${i}`, externalId: `rt-${i}` }));
  await api(baseUrl, cookie, 'POST', `/api/projects/${project.id}/import?format=json`, JSON.stringify(records), 'application/json');
  const listed = (await api(baseUrl, cookie, 'GET', `/api/projects/${project.id}/items?limit=${docs}`)).json as { id: string }[] | { items: { id: string }[] };
  const items = Array.isArray(listed) ? listed : listed.items;
  if (items.length < docs) throw new Error(`expected ${docs} items, the API listed ${items.length}`);
  return { cookie, userId, docNames: items.slice(0, docs).map((it) => `item:${it.id}`) };
}
