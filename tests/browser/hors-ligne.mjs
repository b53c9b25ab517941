// The offline copy (vitrine build --hors-ligne) opened from disk in headless Chromium, for
// tests/offline.rs. Usage: node hors-ligne.mjs DATA_JSON, where DATA_JSON holds
//   { base: "file:///…/public/", site_titre, recherche,
//     discipline: {cle, libelle, scenario, titre, fichier_titre, fichier} }
// At 375 px and 1280 px wide, with the mouse: home → a discipline → a scenario → its attached
// file → back → the header search → a result → a related scenario → the dashboard. Every page
// reached is a page of the site (its header, not Chromium's folder listing) at an address
// ending in `index.html`; no console error, no failed request. Throws (exit code 1) on the
// first failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, requestsSettled, TIMEOUT, watchRequests } from './controles.mjs';

const data = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const problems = [];
const summary = { largeurs: [], problemes: problems };
const base = new URL(data.base);
const d = data.discipline;

for (const width of [375, 1280]) {
  const profile = mkdtempSync(join(tmpdir(), 'vitrine-hors-ligne-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: { width, height: 900 },
  });
  const stats = { largeur: width, pages: 0 };
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    const where = () => `[${width}] ${decodeURIComponent(page.url()).slice(base.href.length)}`;
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`[${width}] console : ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`[${width}] erreur JavaScript : ${e.message}`));
    // A lazy image cancelled by leaving its page is asked again by watchRequests, which Node
    // cannot do for a file:// address (nor tell file navigations apart): excused when its file
    // is there. A missing file fails with ERR_FILE_NOT_FOUND, reported.
    watchRequests(page, (problem) => {
      const cancelled = /^requête échouée : (file:\S+) \(net::ERR_ABORTED\), et l'image ne se charge pas$/.exec(problem);
      if (cancelled && existsSync(fileURLToPath(cancelled[1]))) return;
      problems.push(`[${width}] ${problem}`);
    });

    const h1 = async () => (await page.locator('h1').textContent()).trim();
    const exact = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    // Clicks `locator` and waits for the page it opens to be loaded. (Waiting for the address
    // instead missed the search page from disk, which rewrites its address as it starts.)
    const open = async (locator) => {
      const loaded = page.waitForEvent('load');
      await locator.click();
      await loaded;
    };
    const exactLink = (scope, text) => page.locator(`${scope} a`).filter({ hasText: exact(text) }).first();
    // A page of the site at `path` (from the site root): its file, its header (a folder
    // listing has neither).
    const arrive = async (path) => {
      await page.waitForLoadState('load');
      assert.equal(new URL(page.url()).pathname, `${base.pathname}${path}`, `${where()} : page atteinte`);
      stats.pages += 1;
      assert.match(page.url(), /\/index\.html(\?|$)/, `${where()} : adresse d'un dossier`);
      const header = (await page.locator('header.entete .site-titre').textContent()).trim();
      assert.equal(header, data.site_titre, `${where()} : en-tête du site`);
    };

    await page.goto(new URL('index.html', base).href);
    await arrive('index.html');
    assert.equal(await h1(), data.site_titre);
    await open(exactLink('main .facettes', 'Disciplines'));
    await arrive('disciplines/index.html');
    await open(page.locator('main .compteurs li a').filter({ hasText: exact(d.libelle) }));
    await arrive(`disciplines/${d.cle}/index.html`);
    await open(exactLink('main .carte-titre', d.titre));
    await arrive(`scenarios/${d.scenario}/index.html`);
    assert.equal(await h1(), d.titre);
    await exactLink('main .ressources', d.fichier_titre).click();
    await page.waitForURL((u) => u.pathname === `${base.pathname}scenarios/${d.scenario}/${d.fichier}`);
    assert.ok((await page.locator('body').textContent()).trim().length > 0, 'fichier joint affiché');
    await page.goBack();
    await arrive(`scenarios/${d.scenario}/index.html`);

    // The header search, from the scenario page.
    await page.fill('#q-entete', data.recherche);
    await open(page.locator('form.recherche-entete button[type="submit"]'));
    await arrive('recherche/index.html');
    await page.waitForSelector('html[data-recherche="prete"]');
    await page.waitForFunction((w) => document.getElementById('etat').textContent.includes(`«\u00a0${w}\u00a0»`), data.recherche);
    const result = page.locator('#resultats .resultat-titre a').first();
    const resultTitle = (await result.textContent()).trim();
    const resultHref = await result.getAttribute('href');
    assert.match(resultHref, /^\.\.\/scenarios\/[^/]+\/index\.html$/, `${where()} : lien du résultat`);
    const resultPath = new URL(resultHref, page.url()).pathname.slice(base.pathname.length);
    await open(result);
    await arrive(resultPath);
    assert.equal(await h1(), resultTitle, 'titre du résultat');

    // A related scenario, then the dashboard from the footer.
    const related = page.locator('.proches .carte-titre a').first();
    const relatedTitle = (await related.textContent()).trim();
    const relatedHref = await related.getAttribute('href');
    const relatedPath = new URL(relatedHref, page.url()).pathname.slice(base.pathname.length);
    await open(related);
    await arrive(relatedPath);
    assert.equal(await h1(), relatedTitle, 'titre du scénario proche');
    await open(exactLink('footer.pied', 'Tableau de bord'));
    await arrive('tableau-de-bord/index.html');
    await requestsSettled(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  summary.largeurs.push(stats);
}
process.stdout.write(JSON.stringify(summary));
