// A teacher prints scenarios: every scenario page of an offline build, opened from disk in
// headless Chromium with the print media emulated. For tests/print.rs.
// Usage: node impression.mjs DATA_JSON, where DATA_JSON holds
//   { base: "file:///…/public/", pages: ["scenarios/x/index.html", …], capture: "/tmp/….png" }
// Checks on each page: the title is printed; navigation, search and the Moodle download link
// are not; no link prints its address twice (text that already is the address, then the
// address added by print.css). Throws (exit code 1) on the first failed check; prints a JSON
// summary otherwise, the first page's print capture saved at `capture`.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, TIMEOUT } from './controles.mjs';

const data = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const HIDDEN = ['.menu', '.recherche-entete', '.lien-evitement', '.paquet-moodle', '.proches'];

const profile = mkdtempSync(join(tmpdir(), 'vitrine-impression-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: chromiumArgs,
  viewport: { width: 800, height: 1100 },
});
const summary = { pages: 0, adresses_imprimees: 0, caches: 0 };
try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  await page.emulateMedia({ media: 'print' });
  for (const [i, path] of data.pages.entries()) {
    await page.goto(new URL(path, data.base).href);
    const seen = await page.evaluate((hidden) => {
      const shown = (el) => el.checkVisibility();
      const h1 = document.querySelector('h1');
      const present = hidden.filter((s) => document.querySelector(s));
      const printedTwice = [];
      let printed = 0;
      for (const a of document.querySelectorAll('a[href]')) {
        if (!shown(a)) continue;
        const after = getComputedStyle(a, '::after').content;
        if (!after || after === 'none' || after === 'normal') continue;
        printed += 1;
        const href = a.getAttribute('href');
        if (a.textContent.includes(href)) printedTwice.push(`${a.textContent.trim()} (${after})`);
      }
      return {
        title: h1 && shown(h1) ? h1.textContent.trim() : '',
        present: present.length,
        visible: present.filter((s) => [...document.querySelectorAll(s)].some(shown)),
        printedTwice,
        printed,
      };
    }, HIDDEN);
    assert.ok(seen.title, `${path} : le titre n'est pas imprimé`);
    assert.deepEqual(seen.visible, [], `${path} : imprimé alors qu'inutile sur papier`);
    assert.deepEqual(seen.printedTwice, [], `${path} : adresse imprimée deux fois`);
    if (i === 0) await page.screenshot({ path: data.capture, fullPage: true });
    summary.pages += 1;
    summary.adresses_imprimees += seen.printed;
    summary.caches += seen.present;
  }
} finally {
  await context.close();
}
console.log(JSON.stringify(summary));
