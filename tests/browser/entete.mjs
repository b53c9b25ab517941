// The header search on a phone: at 320 px (the reflow width of WCAG 1.4.10) and 375 px, the
// search field's hint is readable whole, the button is visible and the page does not scroll
// sideways. For tests/header_phone.rs. Usage: node entete.mjs URL
// Throws (exit code 1) on the first failed check; prints a JSON summary otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, TIMEOUT } from './controles.mjs';

const url = process.argv[2];
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const summary = { largeurs: [] };
for (const width of [320, 375]) {
  const profile = mkdtempSync(join(tmpdir(), 'vitrine-entete-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: { width, height: 800 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(url);
    const seen = await page.evaluate(() => {
      const input = document.querySelector('.recherche-entete input');
      const button = document.querySelector('.recherche-entete button');
      const style = getComputedStyle(input);
      const context2d = document.createElement('canvas').getContext('2d');
      context2d.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const box = button.getBoundingClientRect();
      return {
        hint: input.placeholder,
        hintWidth: context2d.measureText(input.placeholder).width,
        room,
        buttonVisible: button.checkVisibility() && box.right <= window.innerWidth,
        sideways: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    assert.ok(seen.hint, `[${width}] champ de recherche sans indication`);
    assert.ok(
      seen.hintWidth <= seen.room,
      `[${width}] indication « ${seen.hint} » coupée : ${Math.round(seen.hintWidth)} px pour ${Math.round(seen.room)} px`,
    );
    assert.ok(seen.buttonVisible, `[${width}] bouton de recherche hors de l'écran`);
    assert.ok(!seen.sideways, `[${width}] la page défile de côté`);
    summary.largeurs.push({ largeur: width, indication: seen.hint, place: Math.round(seen.room) });
  } finally {
    await context.close();
  }
}
console.log(JSON.stringify(summary));
