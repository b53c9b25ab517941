// Accessibility audit of generated pages in a real Chromium: axe-core (WCAG 2.1 A/AA rules)
// at desktop width, the structure of the page (lang="fr", title, heading levels, labelled
// fields: controles.mjs), and horizontal overflow at 320 px and at 640 px (a 1280 px screen at
// 200 % zoom). Prints one JSON report on stdout; the Rust test (tests/accessibility.rs) asserts
// on it. Usage: node audit.mjs URL... (an address of the search page with `?q=` is audited
// once its results are shown).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { axe, chromiumArgs, overflow, structure, TIMEOUT } from './controles.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: chromiumArgs,
});
const report = [];

// Loads `url`; on the search page with a query, waits until its results are shown (they are
// rendered after the load, by script).
async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  if (new URL(url).searchParams.has('q')) {
    await page.waitForSelector('html[data-recherche="prete"]');
    await page.waitForSelector('#resultats .resultat-titre');
  }
}
try {
  for (const url of process.argv.slice(2)) {
    const entry = { url, violations: [], known: [], structure: [], overflow: {} };
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    desktop.setDefaultTimeout(TIMEOUT);
    await open(desktop, url);
    entry.title = await desktop.title();
    entry.structure = await structure(desktop);
    ({ violations: entry.violations, known: entry.known } = await axe(desktop, axeSource));
    await desktop.close();
    for (const width of [320, 640]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      page.setDefaultTimeout(TIMEOUT);
      // Measured with the results shown: they are what could overflow.
      await open(page, url);
      entry.overflow[width] = await overflow(page);
      await page.close();
    }
    report.push(entry);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1));
