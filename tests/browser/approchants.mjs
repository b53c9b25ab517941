// The « Résultats approchants » section of the search page in a real headless Chromium, for
// tests/search_browser.rs. Usage: node approchants.mjs BASE_URL (the site root over HTTP).
// A query no scenario fully matches shows, under the results, a separate section whose items
// each name the missing word; a query with enough results hides it. The page keeps a sound
// heading structure and axe-core finds no violation. Throws on the first failed check; prints
// a JSON summary otherwise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { axe, chromiumArgs, structure, TIMEOUT } from './controles.mjs';

const require = createRequire(import.meta.url);
const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: chromiumArgs,
});
const problems = [];
const summary = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => problems.push(`erreur JavaScript : ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console : ${message.text()}`);
  });

  await page.goto(`${base}recherche/?q=${encodeURIComponent('tableur xylophone')}`);
  await page.waitForSelector('html[data-recherche="prete"]');
  await page.waitForSelector('#approchants li');
  const section = page.locator('#approchants');
  assert.ok(await section.isVisible(), 'section des résultats approchants visible');
  assert.equal((await section.locator('h2').textContent()).trim(), 'Résultats approchants');
  const missing = await section.locator('.resultat-manquant').allTextContents();
  assert.ok(missing.length > 0 && missing.length <= 10, `${missing.length} résultats approchants`);
  for (const text of missing) assert.equal(text, 'sans «\u00a0xylophone\u00a0»', 'mot manquant entre guillemets insécables');
  assert.equal(await page.locator('#resultats li').count(), 0, 'aucun résultat complet');
  // The section comes after the results list.
  const after = await page.evaluate(() => Boolean(
    document.getElementById('resultats').compareDocumentPosition(document.getElementById('approchants'))
      & Node.DOCUMENT_POSITION_FOLLOWING));
  assert.ok(after, 'les résultats approchants suivent les résultats');
  summary.approchants = missing.length;
  assert.deepEqual(await structure(page), [], 'structure de la page');
  const audit = await axe(page, readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  assert.deepEqual(audit.violations, [], 'axe-core avec les résultats approchants');

  // Enough full results: the section is hidden.
  await page.fill('#q', 'tableur');
  await page.waitForFunction(() => document.getElementById('etat').textContent.includes('«\u00a0tableur\u00a0»'));
  assert.ok(!(await section.isVisible()), 'section cachée quand les résultats suffisent');
  summary.tableur = await page.locator('#resultats li').count();
  assert.deepEqual(problems, []);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(summary));
