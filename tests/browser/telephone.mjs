// The search page and the home page on a phone (375 × 700 px) in a real headless Chromium,
// for tests/search_browser.rs. Usage: node telephone.mjs BASE_URL QUERY [CAPTURES_DIR]
//   BASE_URL: the site root served over HTTP; QUERY: words with several results.
// Checks: the first result starts in the first screen (the filters are folded under
// « Filtrer »); with every filter group open, no value counted « (0) » is shown and the values
// go from the most to the fewest results; after ticking a value, the number of results and the
// active filter are both on screen, and the address has the filter; its button removes it;
// axe-core finds nothing; on the home page, the search fields (page and header) are in the
// first screen and the newest scenarios come before the presentation text; the sub-facet
// links of a facet value page show as many results as their count says.
// Every wait is for a state of the page, never a fixed time. Throws (exit code 1) on the first
// failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { axe, chromiumArgs, overflow, requestsSettled, structure, TIMEOUT, watchRequests } from './controles.mjs';

const require = createRequire(import.meta.url);
const [base, query, captures] = process.argv.slice(2);
const SCREEN = { width: 375, height: 700 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: chromiumArgs,
});
const problems = [];
const summary = {};

// Top and bottom of the first element matching `selector`, in pixels from the top of the
// window (the page is not scrolled unless said).
const box = (page, selector) => page.locator(selector).first().evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, height: r.height };
});
const onScreen = (b) => b.height > 0 && b.top >= 0 && b.bottom <= SCREEN.height;

try {
  const context = await browser.newContext({ viewport: SCREEN, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console : ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`erreur JavaScript : ${error.message}`));
  watchRequests(page, (problem) => problems.push(problem));

  // 1. Results first: the first result starts in the first screen, the filters are folded.
  const searchUrl = new URL('recherche/', base);
  searchUrl.searchParams.set('q', query);
  await page.goto(searchUrl.href);
  await page.waitForSelector('html[data-recherche="prete"]');
  await page.waitForSelector('#resultats .resultat-titre');
  const status = page.locator('#etat');
  const total = async () => Number((/^(\d+) scénarios? trouvés?/.exec(await status.textContent()) || [])[1]);
  const everything = await total();
  assert.ok(everything > 1, `plusieurs résultats pour « ${query} » : ${everything}`);
  assert.equal(await page.locator('#panneau-filtres').evaluate((d) => d.open), false, 'filtres repliés sur téléphone');
  if (captures) await page.screenshot({ path: join(captures, 'recherche-telephone.png') });
  const first = await box(page, '#resultats .resultat');
  summary.premier_resultat = Math.round(first.top);
  assert.ok(first.top < SCREEN.height - 100, `premier résultat à ${first.top} px du haut, au-delà du premier écran`);
  assert.ok(onScreen(await box(page, '#etat')), 'nombre de résultats à l’écran');

  // 2. Every group open: no « (0) », values by decreasing count.
  await page.locator('#panneau-filtres > summary').click();
  const groups = page.locator('details.filtre');
  const groupCount = await groups.count();
  assert.ok(groupCount >= 5, `groupes de filtres : ${groupCount}`);
  for (let i = 0; i < groupCount; i += 1) {
    await page.evaluate(() => document.documentElement.removeAttribute('data-recherche'));
    await groups.nth(i).locator('summary').click();
    await page.waitForSelector('html[data-recherche="prete"]');
  }
  await page.waitForFunction(() => [...document.querySelectorAll('details.filtre')]
    .every((d) => d.open && [...d.querySelectorAll('.nombre')].every((n) => /^\(\d+\)$/.test(n.textContent))));
  const shown = await page.evaluate(() => [...document.querySelectorAll('details.filtre')].map((d) => ({
    groupe: d.querySelector('summary').textContent,
    valeurs: [...d.querySelectorAll('.filtre-valeurs li')].filter((li) => li.checkVisibility())
      .map((li) => ({ libelle: li.querySelector('label').firstChild.textContent.trim(),
        nombre: Number(li.querySelector('.nombre').textContent.replace(/\D/g, '')) })),
    caches: [...d.querySelectorAll('.filtre-valeurs li')].filter((li) => !li.checkVisibility()).length,
  })));
  let hidden = 0;
  for (const group of shown) {
    hidden += group.caches;
    for (const v of group.valeurs) assert.ok(v.nombre > 0, `${group.groupe} : « ${v.libelle} (0) » affiché`);
    const sorted = [...group.valeurs].sort((a, b) => b.nombre - a.nombre || a.libelle.localeCompare(b.libelle, 'fr'));
    assert.deepEqual(group.valeurs, sorted, `${group.groupe} : valeurs par nombre décroissant puis par nom`);
  }
  assert.ok(hidden > 0, 'des valeurs sans résultat sont cachées');
  summary.valeurs_cachees = hidden;

  // 3. Tick a value far down the open filters: the count and the active filter stay on screen.
  const lastGroup = shown[shown.length - 1].valeurs.length ? shown.length - 1
    : shown.findLastIndex((g) => g.valeurs.length);
  const choice = shown[lastGroup].valeurs.find((v) => v.nombre < everything) || shown[lastGroup].valeurs[0];
  const label = groups.nth(lastGroup).locator('.filtre-valeurs label').filter({ hasText: choice.libelle }).first();
  await label.click();
  await page.waitForFunction((n) => document.getElementById('etat').textContent.startsWith(`${n} scénario`), choice.nombre);
  assert.ok(await groups.nth(lastGroup).locator('.filtre-valeurs input:checked').count() === 1, 'case cochée');
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 0, 'la valeur cochée était plus bas dans la page');
  assert.ok(onScreen(await box(page, '#etat')), 'nombre de résultats à l’écran après avoir coché');
  const chip = page.locator('#filtres-actifs button', { hasText: choice.libelle });
  assert.equal(await chip.count(), 1, 'un bouton pour le filtre actif');
  assert.ok(onScreen(await box(page, `#filtres-actifs button:has-text("${choice.libelle.replace(/"/g, '\\"')}")`)),
    'filtre actif à l’écran après avoir coché');
  assert.match(await page.locator('#panneau-filtres > summary').textContent(), /Filtrer \(1 actif\)/);
  assert.ok(new URL(page.url()).search.split('&').length >= 2, `filtre dans l’adresse : ${page.url()}`);
  if (captures) await page.screenshot({ path: join(captures, 'recherche-telephone-filtre.png') });

  // 4. axe-core and reflow on the phone, filters open and one ticked.
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const audit = await axe(page, axeSource);
  assert.deepEqual(audit.violations, [], 'axe-core sur la recherche au téléphone');
  assert.deepEqual(await structure(page), [], 'structure de la page de recherche');
  assert.ok(await overflow(page) <= 0, 'pas de défilement horizontal');

  // 5. The active filter's button removes it, and the keyboard focus lands on « Filtrer ».
  const before = page.url();
  await chip.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.getElementById('etat').textContent.startsWith(`${n} scénario`), everything);
  assert.notEqual(page.url(), before, 'adresse sans le filtre');
  assert.equal(await page.locator('#filtres-actifs button').count(), 0, 'plus de filtre actif');
  assert.ok(await page.locator('#panneau-filtres > summary').evaluate((s) => s === document.activeElement), 'focus sur « Filtrer »');

  // 6. Home page: the search field in the first screen.
  await page.goto(base);
  const field = await box(page, '#q');
  summary.champ_accueil = Math.round(field.top);
  assert.ok(onScreen(field), `champ de recherche de l’accueil à ${field.top} px du haut`);
  assert.ok(onScreen(await box(page, 'header #q-entete')), 'champ de recherche dans l’en-tête de l’accueil');
  const newest = await box(page, '#titre-derniers');
  const presentation = await box(page, '#titre-presentation');
  assert.ok(newest.top < presentation.top, 'les derniers scénarios avant la présentation');
  if (captures) await page.screenshot({ path: join(captures, 'accueil-telephone.png') });

  // 7. A sub-facet count of a facet value page is the number of results its link shows.
  await page.goto(new URL('disciplines/', base).href);
  await page.locator('main .compteurs a').first().click();
  await page.waitForSelector('.sous-facettes');
  const links = await page.locator('.sous-facettes .compteurs li').evaluateAll((items) => items.map((li) => ({
    href: li.querySelector('a').href,
    nombre: Number(li.querySelector('.nombre').textContent.replace(/\D/g, '')),
  })));
  assert.ok(links.length > 3, `sous-facettes : ${links.length}`);
  for (const link of links.slice(0, 4)) {
    await page.goto(link.href);
    await page.waitForSelector('html[data-recherche="prete"]');
    assert.equal(await total(), link.nombre, `${link.href} : le nombre annoncé sur la page d’origine`);
  }
  summary.sous_facettes_suivies = Math.min(links.length, 4);

  await requestsSettled(page);
  assert.deepEqual(problems, [], 'aucune erreur dans la console ni requête échouée');
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(summary));
