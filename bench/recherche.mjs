// Measures the browser search on a built site: bytes transferred (gzip, as a web server sends
// them) for a one-word query and for a three-word query with two filters, from an empty cache,
// and the time from a query to its results on the page once the data is loaded (headless
// Chromium). Prints a French report. A measurement, not a test.
// Usage: node bench/recherche.mjs PUBLIC_DIR "MOT" "TROIS MOTS ICI" FILTRE1=VALEUR FILTRE2=VALEUR
// (filters as URL parameters, e.g. discipline=mathematiques niveau=6e). Needs tests/browser's
// npm packages (playwright-core) and Chromium.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [publicDir, oneWord, threeWords, ...filters] = process.argv.slice(2);
if (!publicDir || !oneWord || !threeWords) {
  console.error('usage : node bench/recherche.mjs PUBLIC_DIR MOT "TROIS MOTS" [filtre=valeur]…');
  process.exit(2);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
let log = [];
const server = createServer(async (request, response) => {
  let path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = join(publicDir, normalize(path));
  try {
    const body = gzipSync(await readFile(file), { level: 6 });
    response.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip' });
    response.end(body);
    log.push({ path, bytes: body.length });
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

function kilobytes(entries) {
  return (entries.reduce((sum, e) => sum + e.bytes, 0) / 1024).toFixed(1);
}

// Opens the search page at `query` from an empty cache; returns the transferred files.
async function transfer(query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  log = [];
  await page.goto(`${origin}/recherche/?${query}`);
  await page.waitForSelector('html[data-recherche="prete"]', { timeout: 60000 });
  const files = log.slice();
  await context.close();
  const search = files.filter((f) => f.path.includes('/recherche/donnees/') || f.path.includes('/static/recherche/'));
  const data = files.filter((f) => f.path.includes('/recherche/donnees/'));
  return { files, search, data };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Time from typing a query to its results shown, data already loaded (median of `runs`).
async function latency(query, runs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/recherche/`);
  await page.waitForSelector('html[data-recherche="prete"]', { timeout: 60000 });
  const times = [];
  for (let i = 0; i <= runs; i++) {
    for (const text of ['', query]) {
      await page.evaluate(() => document.documentElement.removeAttribute('data-recherche'));
      await page.fill('#q', text);
      await page.press('#q', 'Enter');
      await page.waitForSelector('html[data-recherche="prete"]', { timeout: 60000 });
    }
    // The first round loads the data; the following ones measure the search itself.
    if (i > 0) times.push(Number(await page.getAttribute('html', 'data-recherche-ms')));
  }
  await context.close();
  return median(times);
}

const params = (words, extra) => {
  const p = new URLSearchParams({ q: words });
  extra.forEach((f) => { const [k, v] = f.split('='); p.append(k, v); });
  return p.toString();
};

try {
  const one = await transfer(params(oneWord, []));
  const three = await transfer(params(threeWords, filters));
  // Body texts, loaded for the passages of results whose title and summary lack the words.
  const texts = (r) => r.data.filter((f) => f.path.includes('/recherche/donnees/textes/'));
  const passages = (r) => `dont textes des passages ${kilobytes(texts(r))} Ko en ${texts(r).length} fichiers`;
  console.log(`Requête d'un mot « ${oneWord} » : ${kilobytes(one.search)} Ko pour la recherche (JavaScript ${kilobytes(one.search.filter((f) => f.path.includes('/static/')))} Ko + données ${kilobytes(one.data)} Ko en ${one.data.length} fichiers, ${passages(one)}), ${kilobytes(one.files)} Ko avec la page HTML et la feuille de style`);
  console.log(`Requête de trois mots et deux filtres « ${threeWords} » ${filters.join(' ')} : ${kilobytes(three.search)} Ko pour la recherche (données ${kilobytes(three.data)} Ko en ${three.data.length} fichiers, ${passages(three)}), ${kilobytes(three.files)} Ko avec la page`);
  for (const [label, words] of [['un mot', oneWord], ['trois mots', threeWords]]) {
    console.log(`Délai jusqu'aux résultats affichés, données chargées (${label}, médiane de 7) : ${(await latency(words, 7)).toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  server.close();
}
