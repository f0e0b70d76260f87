/** Registers the one service worker (/sw.js) that keeps the faces, the trust list and the rules for offline use. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without a service worker the faces still work online; the scanner says when it cannot work offline.
  });
}
