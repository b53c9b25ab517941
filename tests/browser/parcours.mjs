// End-to-end journeys of a person through the site in headless Chromium, for
// tests/browser_journeys.rs. Usage: node parcours.mjs DATA_JSON, where DATA_JSON holds the base
// address of the served site and what the pages should show, computed by the Rust test:
//   { base, site_titre, titres: {slug: titre}, total, par_page, page_deux: [titres],
//     discipline: {cle, libelle, nombre, scenario, fichier_titre, fichier},
//     niveau: {cle, libelle, nombre}, recherche, captures }
// Four modes, each in a browser with a fresh profile: mouse at 1280 px, mouse at 320 px,
// keyboard only at 1280 px, mouse with JavaScript disabled. In each mode:
//   a. home → a discipline → a scenario → one of its attached files → back to the scenario;
//   b. home → a level → page 2 of a listing → a related scenario;
//   then a search typed in the home page's search field.
//   Last, an unknown address answered with 404.html, as a web server configured for it would.
// On every page: lang="fr", a title no other page has, no skipped heading level, a label on
// every field, no horizontal scrolling, the main menu clickable; axe-core at 320 px. No console error nor failed
// request. Throws (exit code 1) on the first failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { axe, chromiumArgs, overflow, requestsSettled, structure, TIMEOUT, watchRequests } from './controles.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const data = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const problems = [];
// Title of each page → its address: two different pages must not share a title.
const titles = new Map();
const summary = { modes: [], problemes: problems, connus: [] };

const MODES = [
  { nom: 'souris-1280', width: 1280, js: true, clavier: false, captures: true },
  // axe-core runs at 1280 px in audit.mjs (tests/accessibility.rs): here at 320 px.
  { nom: 'souris-320', width: 320, js: true, clavier: false, captures: true, axe: true },
  { nom: 'clavier-1280', width: 1280, js: true, clavier: true, captures: false },
  { nom: 'sans-js-1280', width: 1280, js: false, clavier: false, captures: false },
];

const plural = (n, word) => `${n} ${word}${n > 1 ? 's' : ''}`;
const slugOf = (url) => /\/scenarios\/([^/]+)\/$/.exec(new URL(url).pathname)?.[1];

for (const mode of MODES) {
  const profile = mkdtempSync(join(tmpdir(), 'vitrine-parcours-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: mode.width, height: 900 },
    javaScriptEnabled: mode.js,
  });
  const stats = { nom: mode.nom, pages: 0, tabulations: 0 };
  const audited = new Set();
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    const where = () => `[${mode.nom}] ${new URL(page.url()).pathname}`;
    const missing = `${data.base}scenarios/inexistant/page/`;
    page.on('console', (m) => {
      // A document without an icon link (the attached text file) makes Chromium ask for
      // /favicon.ico at the server root, outside the site's sub-path: not the site's doing.
      // The expected 404 answer to `missing` (below) is logged too.
      const from = m.location().url || 'about:blank';
      if (m.type() === 'error' && new URL(from).pathname !== '/favicon.ico' && from !== missing) {
        problems.push(`[${mode.nom}] console : ${m.text()} (${m.location().url})`);
      }
    });
    page.on('pageerror', (e) => problems.push(`[${mode.nom}] erreur JavaScript : ${e.message}`));
    // Requests cancelled by leaving a page (a lazy image or the favicon that started loading
    // just before a click) are not failures; others are. The 404 answer to `missing` is the
    // expected one.
    watchRequests(page, (problem) => problems.push(`[${mode.nom}] ${problem}`), (r) => r.url() === missing);

    const h1 = async () => (await page.locator('h1').textContent()).trim();
    const decompte = async () => (await page.locator('main .decompte').textContent()).trim();
    const cardTitles = (scope = 'main') => page.locator(`${scope} .carte-titre`).allTextContents()
      .then((list) => list.map((t) => t.trim()));

    // Checks every HTML page reached, whatever the mode.
    const checkPage = async () => {
      await page.waitForLoadState('load');
      stats.pages += 1;
      const url = new URL(page.url());
      const address = url.origin + url.pathname;
      for (const p of await structure(page)) problems.push(`${where()} : ${p}`);
      const title = await page.title();
      const seen = titles.get(title);
      if (seen && seen !== address) problems.push(`titre « ${title} » partagé par ${seen} et ${address}`);
      titles.set(title, address);
      // Keyboard mode: the cycle starts from the freshly loaded page, before anything else.
      if (mode.clavier) {
        await tabCycle();
        return;
      }
      if (mode.axe && !audited.has(address)) {
        audited.add(address);
        const { violations, known } = await axe(page, axeSource);
        for (const v of violations) {
          problems.push(`${where()} : axe-core ${v.id} : ${v.help} (${v.targets.join(', ')})`);
        }
        for (const v of known) {
          summary.connus.push(`${where()} : axe-core ${v.id} : ${v.help} (${v.targets.join(', ')})`);
        }
      }
      const extra = await overflow(page);
      if (extra > 0) problems.push(`${where()} : défilement horizontal de ${extra} px à ${mode.width} px`);
      // Every link of the main menu can be reached and clicked (visible, inside the page,
      // not covered by another element).
      const links = page.locator('nav.menu a');
      const count = await links.count();
      assert.ok(count >= 4, `${where()} : menu principal de ${count} liens`);
      for (let i = 0; i < count; i += 1) {
        const link = links.nth(i);
        await link.click({ trial: true });
        const box = await link.boundingBox();
        if (!box || box.x < 0 || box.x + box.width > mode.width) {
          problems.push(`${where()} : lien du menu « ${await link.textContent()} » hors de l'écran`);
        }
      }
      await page.evaluate(() => window.scrollTo(0, 0));
    };

    // Keyboard only: from a freshly loaded page, the first Tab reaches the skip link; tabbing
    // on goes through every focusable element once, each with a visible focus indicator, and
    // comes back to the skip link (no trap). Ends with the skip link focused.
    const tabCycle = async () => {
      await page.evaluate(() => {
        document.activeElement?.blur();
        window.parcoursVus = [];
      });
      const expected = await page.evaluate(() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
      )].filter((el) => !el.disabled && el.checkVisibility({ visibilityProperty: true })
        && el.getAttribute('tabindex') !== '-1' && !el.closest('[inert]')
        && (el.tagName !== 'SUMMARY' || el.parentElement.tagName === 'DETAILS')
        && (el.type !== 'radio' || el.checked || !document.querySelector(`input[type=radio][name="${el.name}"]:checked`))
        && !(el.closest('details:not([open])') && el.tagName !== 'SUMMARY')).length);
      const limit = expected + 5;
      let presses = 0;
      for (;;) {
        await page.keyboard.press('Tab');
        presses += 1;
        const state = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return { vide: true };
          const first = !window.parcoursVus.includes(el);
          if (first) window.parcoursVus.push(el);
          const s = getComputedStyle(el);
          el.parcoursFocus = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
          el.parcoursSansIndicateur = (s.outlineStyle === 'none' || s.outlineWidth === '0px') && s.boxShadow === 'none';
          return { index: window.parcoursVus.indexOf(el), first, evitement: el.classList.contains('lien-evitement'),
            texte: (el.textContent || el.id || el.tagName).trim().slice(0, 40) };
        });
        if (presses === 1) assert.ok(state.evitement, `${where()} : la première tabulation n'atteint pas le lien d'évitement (${state.texte})`);
        if (!state.vide && !state.first) {
          assert.equal(state.index, 0, `${where()} : le focus revient sur « ${state.texte} » avant d'avoir fait le tour`);
          break;
        }
        assert.ok(presses <= limit, `${where()} : piège au clavier, pas de retour au début après ${presses} tabulations`);
      }
      const visited = await page.evaluate(() => window.parcoursVus.length);
      stats.tabulations += presses;
      assert.equal(visited, expected, `${where()} : ${visited} éléments atteints au clavier sur ${expected} focalisables`);
      // The same elements without focus must look different: a visible focus indicator.
      const invisible = await page.evaluate(() => {
        const active = document.activeElement;
        active.blur();
        const same = window.parcoursVus.filter((el) => {
          const s = getComputedStyle(el);
          return el.parcoursSansIndicateur
            || `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}` === el.parcoursFocus;
        }).map((el) => (el.textContent || el.id).trim().slice(0, 40));
        active.focus();
        return same;
      });
      assert.deepEqual(invisible, [], `${where()} : focus sans indicateur visible`);
    };

    // Follows a link: by mouse, or with Tab from the skip link then Enter.
    const follow = async (locator) => {
      await locator.first().waitFor();
      const target = locator.first();
      if (!mode.clavier) {
        await target.click();
        return;
      }
      const handle = await target.elementHandle();
      let focused = await page.evaluate(() => document.activeElement?.classList.contains('lien-evitement'));
      if (!focused) {
        // Fresh page (after a back): start from the top.
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.classList.contains('lien-evitement'));
        assert.ok(focused, `${where()} : la première tabulation n'atteint pas le lien d'évitement`);
      }
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu',
        `${where()} : le lien d'évitement ne met pas le focus sur le contenu`);
      let previous = null;
      for (let i = 0; ; i += 1) {
        assert.ok(i < 300, `${where()} : lien introuvable au clavier`);
        await page.keyboard.press('Tab');
        if (await handle.evaluate((el) => el === document.activeElement)) break;
        previous = await page.evaluateHandle(() => document.activeElement);
      }
      if (previous) {
        // Shift+Tab goes back to the previous element, Tab forward again.
        await page.keyboard.press('Shift+Tab');
        assert.ok(await previous.evaluate((el) => el === document.activeElement), `${where()} : Maj+Tab ne revient pas en arrière`);
        await page.keyboard.press('Tab');
        assert.ok(await handle.evaluate((el) => el === document.activeElement), `${where()} : Tab après Maj+Tab`);
      }
      await page.keyboard.press('Enter');
    };
    const exact = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const exactLink = (scope, text) => page.locator(`${scope} a`).filter({ hasText: exact(text) });
    const countedItem = (text) => page.locator('main .compteurs li')
      .filter({ has: page.locator('a').filter({ hasText: exact(text) }) });
    const arrive = async (pathEnd) => {
      await page.waitForURL((u) => u.pathname.endsWith(pathEnd));
      await checkPage();
    };

    // a. Home → a discipline → a scenario → an attached file → back.
    const d = data.discipline;
    const scenarioTitle = data.titres[d.scenario];
    await page.goto(data.base);
    await checkPage();
    assert.equal(await h1(), data.site_titre);
    if (mode.captures) await page.screenshot({ path: join(data.captures, `accueil-${mode.width}.png`), fullPage: true });
    await follow(exactLink('main .facettes', 'Disciplines'));
    await arrive('/vitrine/disciplines/');
    assert.equal(await h1(), 'Disciplines');
    const disciplineItem = countedItem(d.libelle);
    assert.equal((await disciplineItem.locator('.nombre').textContent()).trim(), `(${d.nombre})`, 'nombre affiché pour la discipline');
    await follow(disciplineItem.locator('a'));
    await arrive(`/vitrine/disciplines/${d.cle}/`);
    assert.equal(await h1(), `Discipline : ${d.libelle}`);
    assert.equal(await decompte(), plural(d.nombre, 'scénario'));
    const inDiscipline = await cardTitles();
    assert.equal(inDiscipline.length, d.nombre, 'cartes de la discipline');
    assert.ok(inDiscipline.includes(scenarioTitle), `« ${scenarioTitle} » parmi les scénarios de la discipline`);
    await follow(exactLink('main .carte-titre', scenarioTitle));
    await arrive(`/vitrine/scenarios/${d.scenario}/`);
    assert.equal(await h1(), scenarioTitle);
    if (mode.captures) await page.screenshot({ path: join(data.captures, `scenario-${mode.width}.png`), fullPage: true });
    const fileResponse = page.waitForResponse((r) => r.url().endsWith(`/scenarios/${d.scenario}/${d.fichier}`));
    await follow(exactLink('main .ressources', d.fichier_titre));
    assert.equal((await fileResponse).status(), 200, 'fichier joint servi');
    await page.waitForURL((u) => u.pathname.endsWith(`/${d.fichier}`));
    assert.ok((await page.locator('body').textContent()).trim().length > 0, 'fichier joint affiché');
    await page.goBack();
    await arrive(`/vitrine/scenarios/${d.scenario}/`);
    assert.equal(await h1(), scenarioTitle, 'retour sur le scénario');

    // b. Home → a level → page 2 of a listing → a related scenario.
    const n = data.niveau;
    await page.goto(data.base);
    await checkPage();
    await follow(exactLink('main .facettes', 'Niveaux'));
    await arrive('/vitrine/niveaux/');
    assert.equal(await h1(), 'Niveaux');
    const levelItem = countedItem(n.libelle);
    assert.equal((await levelItem.locator('.nombre').textContent()).trim(), `(${n.nombre})`, 'nombre affiché pour le niveau');
    await follow(levelItem.locator('a'));
    await arrive(`/vitrine/niveaux/${n.cle}/`);
    assert.equal(await h1(), `Niveau : ${n.libelle}`);
    assert.equal(await decompte(), plural(n.nombre, 'scénario'));
    assert.equal((await cardTitles()).length, n.nombre, 'cartes du niveau');
    // No level of the demo has more than one page (the busiest has fewer scenarios than
    // `scenarios_par_page`): page 2 is taken from « tous les scénarios », reached from the menu.
    assert.ok(n.nombre <= data.par_page, 'un niveau a désormais une page 2 : la prendre ici');
    assert.equal(await page.locator('main nav.pagination').count(), 0, 'pas de pagination pour le niveau');
    await follow(exactLink('nav.menu', 'Scénarios'));
    await arrive('/vitrine/scenarios/');
    const pages = Math.ceil(data.total / data.par_page);
    assert.equal(await decompte(), `${plural(data.total, 'scénario')} — page 1 sur ${pages}`);
    assert.equal((await cardTitles()).length, data.par_page, 'cartes de la page 1');
    await follow(page.locator('main nav.pagination a', { hasText: /^Page 2$/ }));
    await arrive('/vitrine/scenarios/page/2/');
    assert.equal(await decompte(), `${plural(data.total, 'scénario')} — page 2 sur ${pages}`);
    assert.deepEqual(await cardTitles(), data.page_deux, 'titres de la page 2');
    assert.equal((await page.locator('nav.pagination [aria-current="page"]').textContent()).trim(), 'Page 2');
    await follow(exactLink('main .carte-titre', data.page_deux[0]));
    await page.waitForURL((u) => /\/scenarios\/[^/]+\/$/.test(u.pathname) && slugOf(u.href));
    await checkPage();
    assert.equal(await h1(), data.page_deux[0]);
    const related = await cardTitles('.proches');
    assert.ok(related.length > 0, `${where()} : des scénarios proches`);
    const from = slugOf(page.url());
    await follow(exactLink('.proches .carte-titre', related[0]));
    await page.waitForURL((u) => slugOf(u.href) && slugOf(u.href) !== from);
    await checkPage();
    assert.equal(await h1(), related[0], 'titre du scénario proche');
    assert.equal(data.titres[slugOf(page.url())], related[0], 'le scénario proche est bien celui annoncé');

    // The search field of the home page.
    await page.goto(data.base);
    await checkPage();
    if (mode.clavier) {
      // The skip link is focused: Enter, then Tab to the field and type.
      await page.keyboard.press('Enter');
      for (let i = 0; i < 100 && (await page.evaluate(() => document.activeElement?.id)) !== 'q'; i += 1) {
        await page.keyboard.press('Tab');
      }
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'champ de recherche atteint au clavier');
      await page.keyboard.type(data.recherche);
      await page.keyboard.press('Enter');
    } else {
      await page.fill('#q', data.recherche);
      await page.click('#formulaire-recherche button[type="submit"]');
    }
    await page.waitForURL((u) => u.pathname.endsWith('/vitrine/recherche/'));
    if (mode.js) {
      await page.waitForSelector('html[data-recherche="prete"]');
      await page.waitForFunction((w) => document.getElementById('etat').textContent.includes(`«\u00a0${w}\u00a0»`), data.recherche);
      const shown = Number(/^(\d+) scénarios? trouvés?/.exec(await page.locator('#etat').textContent())?.[1]);
      const listed = await page.locator('#resultats .resultat-titre').count();
      assert.ok(shown > 0 && listed > 0 && listed <= shown, `${where()} : ${shown} résultats annoncés, ${listed} affichés`);
      assert.equal(await page.inputValue('#q'), data.recherche);
      stats.resultats = shown;
    } else {
      // (Playwright's text selectors skip <noscript>: read it from the page.)
      const notice = await page.evaluate(() => [...document.querySelectorAll('main noscript p')]
        .filter((p) => p.getClientRects().length > 0).map((p) => p.textContent).join(' '));
      assert.match(notice, /La recherche par mots-clés nécessite JavaScript/,
        'sans JavaScript, la page de recherche le dit et propose les rubriques');
      assert.ok(await exactLink('main .facettes', 'Tous les scénarios').isVisible(), 'lien vers tous les scénarios');
    }
    await checkPage();
    if (mode.captures) await page.screenshot({ path: join(data.captures, `recherche-${mode.width}.png`), fullPage: true });

    // An unknown address, deep under the sub-path, answered with 404.html: styled, and its
    // links lead back into the site.
    await page.route(missing, async (route) => {
      const response = await route.fetch({ url: `${data.base}404.html` });
      await route.fulfill({ response, status: 404 });
    });
    const notFound = await page.goto(missing);
    assert.equal(notFound.status(), 404);
    await checkPage();
    assert.equal(await h1(), 'Page introuvable');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.lien-evitement')).position),
      'absolute', 'feuille de style de la page 404 chargée');
    await follow(exactLink('main', "Revenir à l'accueil"));
    await arrive('/vitrine/');
    assert.equal(await h1(), data.site_titre);
    await requestsSettled(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  summary.modes.push(stats);
}
summary.titres = titles.size;
process.stdout.write(JSON.stringify(summary));
