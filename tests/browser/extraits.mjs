// The excerpts of the search page in a real headless Chromium, for tests/search_browser.rs.
// Usage: node extraits.mjs BASE_URL WORD SLUG, where BASE_URL is the site root over HTTP or
// the offline copy's folder as file:///…/ (pages named index.html), WORD a word found only in
// the body of the scenario SLUG (not in its summary).
// The result of SLUG shows a passage of its body with WORD marked, not its summary; the body
// texts loaded (textes/<ordinal>) are only those of displayed results. Throws on the first
// failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { chromiumArgs, TIMEOUT } from './controles.mjs';

const [base, word, slug] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: chromiumArgs,
});
const problems = [];
const texts = [];
const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
let summary = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => problems.push(`erreur JavaScript : ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console : ${message.text()}`);
  });
  page.on('request', (request) => {
    if (request.url().includes('/recherche/donnees/textes/')) texts.push(request.url());
  });
  await page.goto(`${base}recherche/index.html?q=${encodeURIComponent(word)}`);
  await page.waitForSelector('html[data-recherche="prete"]');
  const items = page.locator('#resultats li');
  const count = await items.count();
  assert.ok(count > 0, `aucun résultat pour « ${word} »`);
  const item = items.filter({ has: page.locator(`a[href*="${slug}"]`) });
  assert.equal(await item.count(), 1, `le résultat ${slug} est affiché`);
  const excerpt = item.locator('.resultat-extrait');
  const text = (await excerpt.textContent()).trim();
  const marks = await excerpt.locator('mark').allTextContents();
  assert.ok(marks.length > 0, `aucun mot marqué dans l'extrait « ${text} »`);
  const wanted = fold(word).slice(0, 6);
  assert.ok(marks.some((m) => fold(m).startsWith(wanted)), `« ${word} » marqué dans « ${text} »`);
  assert.ok(await excerpt.evaluate((p) => p.classList.contains('resultat-passage')), 'un passage du texte');
  assert.ok(text.length <= 200, `passage de ${text.length} caractères`);
  // The markup is the page's: a <mark> per word, the rest text nodes, nothing else.
  const tags = await excerpt.evaluate((p) => [...p.querySelectorAll('*')].map((e) => e.tagName));
  assert.ok(tags.every((t) => t === 'MARK'), `balises ${tags}`);
  assert.ok(texts.length >= 1 && texts.length <= count, `${texts.length} textes chargés pour ${count} résultats`);
  assert.deepEqual(problems, []);
  summary = { passage: text, marques: marks, textes: texts.length, resultats: count };
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(summary));
