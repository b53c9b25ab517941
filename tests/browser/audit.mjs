// Accessibility audit of generated pages in a real Chromium: axe-core (WCAG 2.1 A/AA rules)
// at desktop width, and horizontal overflow at 320 px and at 640 px (a 1280 px screen at 200 %
// zoom). Prints one JSON report on stdout; the Rust test (tests/accessibility.rs) asserts on it.
// Usage: node audit.mjs URL...
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = [];
try {
  for (const url of process.argv.slice(2)) {
    const entry = { url, violations: [], overflow: {} };
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(url, { waitUntil: 'load' });
    await desktop.addScriptTag({ path: axePath });
    const result = await desktop.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    entry.violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
    await desktop.close();
    for (const width of [320, 640]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(url, { waitUntil: 'load' });
      entry.overflow[width] = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      await page.close();
    }
    report.push(entry);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1));
