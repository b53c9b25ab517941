// Self-test of watchRequests (controles.mjs), for tests/browser_journeys.rs: requests cancelled
// by leaving a page are excused, real failures are still reported. Pages come from a real HTTP
// server on loopback started here, which can hold a request unanswered so that it is surely
// in flight when the page is left.
// Usage: node surveillance.mjs [route]; prints { problemes: [...], excusees: [...] }.
//   route: every request goes through Node (as with the CSP of recherche-e2e.mjs).
import http from 'node:http';
import { chromium } from 'playwright-core';
import { addHeaders, chromiumArgs, requestsSettled, TIMEOUT, watchRequests } from './controles.mjs';

// Requests held unanswered, and the waits for their arrival.
const held = [];
const seenOnce = new Set();
const arrivals = new Map();
const arrived = (path) => {
  if (!arrivals.has(path)) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    arrivals.set(path, { promise, resolve });
  }
  return arrivals.get(path);
};

// Without an icon link, Chromium may ask for /favicon.ico (a 404): every page names one.
const page = (body, icon = 'data:,') => `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="${icon}"><title>Essai</title></head><body>${body}</body></html>`;

// A port nothing listens on: bound by a server, then closed.
const closedPort = await new Promise((resolve) => {
  const probe = http.createServer();
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

const server = http.createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  arrived(path).resolve();
  const html = (body, icon) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page(body, icon));
  };
  switch (path) {
    case '/image-lente':
      // An image still loading when a link is followed.
      return html('<img src="/lent.png" alt="lent"><a id="suite" href="/suite">suite</a>');
    case '/icone-lente':
      // The flaky case: a page left as soon as it is loaded, its icon still loading.
      return html('<p>icône</p>', '/lent-icone.svg');
    case '/manquants':
      return html(`<img src="/absent.png" alt="absent"><img src="http://127.0.0.1:${closedPort}/refuse.png" alt="refusé">`);
    case '/abandon':
      // A fetch the page itself abandons: ERR_ABORTED while the page stays.
      return html(`<script>
        const controller = new AbortController();
        fetch('/lent-fetch', { signal: controller.signal }).catch(() => {});
        window.abandonner = () => controller.abort();
      </script>`);
    case '/suite':
      return html('<p>suite</p>');
    case '/images-arretees':
      // Images the browser stops loading while the page stays (as it does for a lazy image
      // that leaves the loading distance): one exists, one is missing.
      return html('<img src="/lent-existe.svg" alt="existe"><img src="/lent-absente.svg" alt="absente"><script>window.arreter = () => window.stop();</script>');
    case '/lent-existe.svg':
    case '/lent-absente.svg':
      // Held the first time (so that it is in flight when loading stops), answered after.
      if (!seenOnce.has(path)) {
        seenOnce.add(path);
        held.push(response);
        return undefined;
      }
      if (path === '/lent-existe.svg') {
        response.writeHead(200, { 'content-type': 'image/svg+xml' });
        return response.end('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return response.end('introuvable');
    default:
      if (path.startsWith('/lent')) {
        held.push(response);
        return undefined;
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return response.end('introuvable');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: chromiumArgs,
});
const problems = [];
let excused = [];
try {
  const context = await browser.newContext();
  if (process.argv.includes('route')) await addHeaders(context, { 'x-essai': 'oui' });
  const tab = await context.newPage();
  tab.setDefaultTimeout(TIMEOUT);
  excused = watchRequests(tab, (problem) => problems.push(problem));
  const failure = (end) => tab.waitForEvent('requestfailed', (r) => r.url().endsWith(end));

  // 1. An image in flight when a link is followed: excused.
  let cancelled = failure('/lent.png');
  await tab.goto(`${base}/image-lente`, { waitUntil: 'domcontentloaded' });
  await arrived('/lent.png').promise;
  await tab.click('#suite');
  await tab.waitForURL(`${base}/suite`);
  await cancelled;

  // 2. An icon in flight when another address is opened: excused.
  cancelled = failure('/lent-icone.svg');
  await tab.goto(`${base}/icone-lente`);
  await arrived('/lent-icone.svg').promise;
  await tab.goto(`${base}/suite`);
  await cancelled;

  // 3. A missing image (404) and a refused connection: reported.
  const refused = failure('/refuse.png');
  const missing = tab.waitForResponse((r) => r.url().endsWith('/absent.png'));
  await tab.goto(`${base}/manquants`);
  await Promise.all([refused, missing]);

  // 4. A request abandoned by the page, which stays: reported.
  cancelled = failure('/lent-fetch');
  await tab.goto(`${base}/abandon`);
  await arrived('/lent-fetch').promise;
  await tab.evaluate(() => window.abandonner());
  await cancelled;

  // 5. Images stopped by the browser while the page stays: the one that loads when asked
  // again is excused, the missing one reported.
  const stopped = Promise.all([failure('/lent-existe.svg'), failure('/lent-absente.svg')]);
  await tab.goto(`${base}/images-arretees`, { waitUntil: 'domcontentloaded' });
  await Promise.all([arrived('/lent-existe.svg').promise, arrived('/lent-absente.svg').promise]);
  await tab.evaluate(() => window.arreter());
  await stopped;
  await requestsSettled(tab);
  await tab.close();
} finally {
  await browser.close();
  for (const response of held) response.destroy();
  server.close();
}
process.stdout.write(JSON.stringify({ problemes: problems, excusees: excused }));
