// The API is served by the same process but outside SvelteKit, so pages load their data
// in the browser through the typed client; the server only sends the app shell.
export const ssr = false;
