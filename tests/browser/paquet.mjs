// The page of a Moodle package (.imscc), unzipped, opened from disk in headless Chromium, for
// tests/exports_imscc.rs: as a Moodle course shows it, it must need nothing outside the
// package. Usage: node paquet.mjs DATA_JSON, where DATA_JSON holds
//   { pages: [{ dossier: "/…/unzipped", page: "slug/index.html", capture: "/…/slug.png" }] }
// For each page: every request the page makes (file://, http…), those outside `dossier`,
// those that failed, a few computed styles (to tell the inlined styles were applied), and a
// full-page screenshot written to `capture`. Prints { pages: [...] }; judging is the test's.
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, TIMEOUT } from './controles.mjs';

const data = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: chromiumArgs });
const results = [];
try {
  for (const { dossier, page: path, capture } of data.pages) {
    // A fresh context per package: nothing cached from another one.
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const folder = pathToFileURL(dossier).href.replace(/\/?$/, '/');
    const requests = [];
    const failed = [];
    context.on('request', (request) => requests.push(request.url()));
    context.on('requestfailed', (request) => {
      failed.push(`${request.url()} (${request.failure()?.errorText || 'erreur inconnue'})`);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(new URL(path, folder).href, { waitUntil: 'load' });
    // Images are part of the load; waiting for them again costs nothing and says so.
    await page.waitForFunction(() => [...document.images].every((image) => image.complete));
    const style = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const h1 = document.querySelector('h1');
      return {
        body_max_width: body.maxWidth,
        body_font_family: body.fontFamily,
        h1_color: h1 ? getComputedStyle(h1).color : null,
        feuilles_externes: [...document.styleSheets].filter((sheet) => sheet.href).length,
      };
    });
    await page.screenshot({ path: capture, fullPage: true });
    results.push({
      page: path,
      requetes: requests.length,
      hors_paquet: requests.filter((url) => !url.startsWith(folder) && !url.startsWith('data:')),
      echecs: failed,
      style,
      capture,
    });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: results }));
