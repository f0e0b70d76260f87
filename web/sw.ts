/**
 * The faces' service worker (/sw.js, scope /). It keeps, for offline use:
 * - the pages and their hashed assets (precache.json, written by the build): pages network-first, assets
 *   cache-first (their names change with their content);
 * - the trust list, the trust anchor and the list of provincial units: network-first, the last copy otherwise
 *   (the scanner checks the list's signature and age itself and says when it is too old).
 * Nothing under /api/v1/me or any other personal answer is ever cached.
 */

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

const scope = self as unknown as WorkerScope;
const APP = 'ymt-app-v1';
const DATA = 'ymt-data-v1';
/** The header on an answer the worker gave from its cache because the network failed. */
const OFFLINE_COPY = 'x-ymt-offline-copy';
const DATA_PATHS = [
  '/.well-known/yimatong/trust-list',
  '/.well-known/yimatong/trust-anchor',
  '/api/v1/provinces',
];

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP);
      const list = (await (await fetch('/precache.json', { cache: 'no-store' })).json()) as string[];
      await cache.addAll(list);
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== APP && name !== DATA) await caches.delete(name);
      await scope.clients.claim();
    })(),
  );
});

async function networkFirst(request: Request, cacheName: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (!cached) throw e;
    // Marked, so that the scanner does not take a kept copy for a fresh one.
    const headers = new Headers(cached.headers);
    headers.set(OFFLINE_COPY, '1');
    return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(APP);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return;
  if (DATA_PATHS.includes(url.pathname)) event.respondWith(networkFirst(request, DATA));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else if (request.mode === 'navigate') event.respondWith(networkFirst(request, APP));
});
