// End-to-end test of the search page in a real headless Chromium, for tests/search_browser.rs.
// Usage: node recherche-e2e.mjs BASE_URL [csp] [axe]
//   BASE_URL: the site root (http://127.0.0.1:PORT/vitrine/ or file:///…/public/);
//   csp: serve every response with `Content-Security-Policy: script-src 'self'`;
//   axe: also run axe-core (WCAG 2.1 A/AA) on the search page showing results (over HTTP:
//   from file://, axe's own requests for the stylesheets are refused).
// Throws (exit code 1) on the first failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { addHeaders, requestsSettled, TIMEOUT, watchRequests } from './controles.mjs';

const require = createRequire(import.meta.url);
const [base, ...flags] = process.argv.slice(2);
const withCsp = flags.includes('csp');
const withAxe = flags.includes('axe');
const isFile = base.startsWith('file:');
const index = isFile ? 'index.html' : '';
const searchUrl = `${base}recherche/${index}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
const summary = { base, csp: withCsp };

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  if (withCsp) {
    await addHeaders(context, { 'content-security-policy': "default-src 'self'; script-src 'self'; object-src 'none'" });
  }
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console : ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`erreur JavaScript : ${error.message}`));
  // Requests cancelled by leaving a page (its favicon) are not failures; others are.
  watchRequests(page, (problem) => problems.push(problem));

  const status = page.locator('#etat');
  const titles = () => page.locator('#resultats .resultat-titre').allTextContents();
  const total = async () => {
    const text = await status.textContent();
    const match = /^(\d+) scénarios? trouvés?/.exec(text);
    return match ? Number(match[1]) : text.startsWith('Aucun') ? 0 : NaN;
  };
  // Waits until the status says the search for `words` is shown.
  const searched = async (words) => {
    await page.waitForFunction(
      (w) => {
        const text = document.getElementById('etat').textContent;
        return w ? text.includes(`«\u00a0${w}\u00a0»`) : /trouvé|Aucun/.test(text) && !text.includes('«');
      },
      words,
    );
  };

  // 1. The page opens with every scenario, newest first (filter-only browsing, no word).
  await page.goto(searchUrl);
  await page.waitForSelector('html[data-recherche="prete"]');
  const everything = await total();
  assert.ok(everything >= 20, `tous les scénarios au départ : ${everything}`);
  summary.tous = everything;

  // 2. A query with accents and the same without accents give the same results.
  await page.fill('#q', 'élèves tableur');
  await searched('élèves tableur');
  // Data files are asked with the manifest's fingerprint (`?v=`), the manifest without: a
  // server may cache the versioned files for good.
  const dataScripts = await page.evaluate(() =>
    Array.from(document.querySelectorAll('script[src*="donnees/"]')).map((s) => s.getAttribute('src')));
  const manifestScripts = dataScripts.filter((src) => src.includes('/manifest.js'));
  const versioned = dataScripts.filter((src) => !src.includes('/manifest.js'));
  assert.ok(manifestScripts.length === 1 && !manifestScripts[0].includes('?'), `manifeste : ${manifestScripts}`);
  assert.ok(versioned.length > 0 && versioned.every((src) => /\.js\?v=[0-9a-f]{16}$/.test(src)), `données : ${versioned}`);
  const accented = await titles();
  const accentedTotal = await total();
  assert.ok(accented.length > 0, 'des résultats pour « élèves tableur »');
  assert.ok(await page.locator('#resultats mark').count() > 0, 'mots trouvés surlignés');
  await page.fill('#q', 'eleves tableur');
  await searched('eleves tableur');
  assert.deepEqual(await titles(), accented, 'mêmes résultats sans accents');
  summary.eleves_tableur = accentedTotal;

  // 3. Tick a facet: results, counts and address change.
  const disciplines = page.locator('details.filtre', { hasText: 'Disciplines' });
  await disciplines.locator('summary').click();
  const maths = disciplines.locator('label', { hasText: 'Mathématiques' });
  await page.waitForFunction(() => /\(\d+\)/.test(
    [...document.querySelectorAll('details.filtre[open] .nombre')].map((n) => n.textContent).join(' '),
  ));
  const mathsCount = Number((await maths.locator('.nombre').textContent()).replace(/\D/g, ''));
  assert.ok(mathsCount > 0 && mathsCount < accentedTotal, `nombre pour Mathématiques : ${mathsCount}`);
  await maths.click();
  await page.waitForFunction((n) => document.getElementById('etat').textContent.startsWith(`${n} scénario`), mathsCount);
  assert.equal(await total(), mathsCount, 'le nombre annoncé est celui de la facette');
  const metas = await page.locator('#resultats .resultat-meta').allTextContents();
  assert.ok(metas.every((m) => m.includes('Mathématiques')), 'tous les résultats en mathématiques');
  const filteredUrl = new URL(page.url());
  assert.equal(filteredUrl.searchParams.get('q'), 'eleves tableur');
  assert.deepEqual(filteredUrl.searchParams.getAll('discipline'), ['mathematiques']);
  const filteredTitles = await titles();

  // 4. Reloading the address restores the same state.
  await page.reload();
  await page.waitForSelector('html[data-recherche="prete"]');
  await searched('eleves tableur');
  assert.equal(await page.inputValue('#q'), 'eleves tableur');
  assert.ok(await disciplines.locator('input[value="mathematiques"]').isChecked());
  assert.deepEqual(await titles(), filteredTitles, 'même résultat après rechargement');

  // 5. The back button goes back to the search without the filter.
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('discipline='));
  await page.waitForFunction((n) => document.getElementById('etat').textContent.startsWith(`${n} scénario`), accentedTotal);
  assert.ok(!(await disciplines.locator('input[value="mathematiques"]').isChecked()));
  await page.goForward();
  await page.waitForFunction(() => location.search.includes('discipline=mathematiques'));
  await page.waitForFunction((n) => document.getElementById('etat').textContent.startsWith(`${n} scénario`), mathsCount);

  // 6. An empty query with the filter lists the discipline, as many as the manifest says.
  await page.fill('#q', '');
  await searched('');
  const mathsAll = await total();
  assert.ok(mathsAll >= mathsCount, `mathématiques sans mot : ${mathsAll}`);

  // 7. Sort by date: newest first.
  await page.fill('#q', 'numérique');
  await searched('numérique');
  // The address changes before the results, and `data-recherche` is still « prete » from the
  // last search: remove it, so that its return says the sorted results are shown.
  await page.evaluate(() => document.documentElement.removeAttribute('data-recherche'));
  await page.selectOption('#tri', 'date');
  await page.waitForFunction(() => location.search.includes('tri=date'));
  await page.waitForSelector('html[data-recherche="prete"]');
  const dates = await page.locator('#resultats time').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime')));
  assert.ok(dates.length > 1, 'des résultats datés');
  assert.deepEqual([...dates].sort().reverse(), dates, 'triés du plus récent au plus ancien');

  // 8. A typo of five letters or more still finds the word; prefixes work as you type.
  await page.selectOption('#tri', 'pertinence');
  await disciplines.locator('input[value="mathematiques"]').uncheck();
  await page.fill('#q', 'tabluer');
  await searched('tabluer');
  assert.ok(await total() > 0, 'une faute de frappe trouve quand même');
  await page.fill('#q', 'baladodiff');
  await searched('baladodiff');
  assert.ok(await total() > 0, 'un début de mot trouve');
  summary.ms_dernier = Number(await page.getAttribute('html', 'data-recherche-ms'));

  // 9. Accessibility of the page with results and an open facet.
  if (withAxe) {
    await page.fill('#q', 'tableur');
    await searched('tableur');
    // Evaluated through the DevTools protocol: a <script> tag would be refused under the CSP.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const violations = result.violations.map((v) => `${v.id} : ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
    assert.deepEqual(violations, [], 'axe-core sur la page de recherche');
    // 320 px wide: no horizontal scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `défilement horizontal de ${overflow} px à 320 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  // 10. The header search box of any page leads to the results. (From file://, a form aimed
  // at a folder opens the folder listing, not its index.html: HTTP only.)
  if (!isFile) {
  await page.goto(`${base}scenarios/${index}`);
  await page.fill('#q-entete', 'tableur');
  await page.press('#q-entete', 'Enter');
  await page.waitForSelector('html[data-recherche="prete"]');
  await searched('tableur');
  assert.ok(await total() > 0, 'le champ de l’en-tête mène aux résultats');
  assert.equal(await page.inputValue('#q'), 'tableur');
  }

  await requestsSettled(page);
  assert.deepEqual(problems, [], 'aucune erreur dans la console ni requête échouée');
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(summary));
