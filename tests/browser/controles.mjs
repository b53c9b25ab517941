// Checks shared by the browser tests (audit.mjs, parcours.mjs, recherche-e2e.mjs), run inside
// a loaded page or on its events.

// The structure of the page as assistive technologies see it: language, title, heading
// levels, fields without a label. Returns a list of French problem descriptions (empty: fine).
export async function structure(page) {
  return page.evaluate(() => {
    const problems = [];
    const lang = document.documentElement.getAttribute('lang');
    if (lang !== 'fr') problems.push(`<html lang="${lang}"> au lieu de lang="fr"`);
    if (!document.title.trim()) problems.push('page sans <title>');

    // Headings exposed to assistive technologies (visually hidden ones included, hidden or
    // display: none ones left out): one h1 first, and never a skipped level going down.
    const exposed = (el) => el.checkVisibility() && !el.closest('[hidden], [aria-hidden="true"]');
    const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter(exposed)
      .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60) }));
    const h1s = levels.filter((h) => h.level === 1).length;
    if (h1s !== 1) problems.push(`${h1s} titres h1 au lieu d'un seul`);
    if (levels.length && levels[0].level !== 1) problems.push(`premier titre de niveau h${levels[0].level}`);
    for (let i = 1; i < levels.length; i += 1) {
      if (levels[i].level > levels[i - 1].level + 1) {
        problems.push(`niveau de titre sauté : h${levels[i - 1].level} « ${levels[i - 1].text} » puis h${levels[i].level} « ${levels[i].text} »`);
      }
    }

    // Every field has an accessible name from a <label>, aria-labelledby or aria-label
    // (a placeholder is not a label), the ticks of Markdown task lists included.
    const named = (el) => {
      const texts = [...(el.labels || [])].map((l) => l.textContent);
      for (const id of (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)) {
        texts.push(document.getElementById(id)?.textContent || '');
      }
      texts.push(el.getAttribute('aria-label') || '');
      return texts.some((t) => t.trim() !== '');
    };
    const fields = document.querySelectorAll(
      'input:not([type="hidden"]):not([type="submit"]):not([type="button"]):not([type="reset"]):not([type="image"]), select, textarea',
    );
    for (const field of fields) {
      if (!named(field)) {
        problems.push(`champ sans étiquette : <${field.tagName.toLowerCase()}${field.id ? ` id="${field.id}"` : ''}${field.name ? ` name="${field.name}"` : ''}>`);
      }
    }
    return problems;
  });
}

// Known violations, reported apart instead of failing the tests, until they are fixed.
// (None: task-list checkboxes now carry an aria-label « fait » / « à faire ».)
const KNOWN = [];

// axe-core (WCAG 2.1 levels A and AA) on the page; `source` is axe.min.js. Evaluated through
// the DevTools protocol, so that it also works under a strict Content-Security-Policy.
// Returns { violations, known }: known ones (KNOWN above) apart.
export async function axe(page, source) {
  await page.evaluate(source);
  const result = await page.evaluate(async (known) => {
    const run = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    const isKnown = (id, node) => known.some((k) => k.rule === id
      && document.querySelector(node.target.join(' '))?.matches(k.selector));
    const violations = [];
    const knownOnes = [];
    for (const v of run.violations) {
      const fresh = v.nodes.filter((n) => !isKnown(v.id, n));
      const entry = (nodes) => ({ id: v.id, impact: v.impact, help: v.help,
        targets: nodes.slice(0, 5).map((n) => n.target.join(' ')) });
      if (fresh.length) violations.push(entry(fresh));
      if (fresh.length < v.nodes.length) knownOnes.push(entry(v.nodes.filter((n) => isKnown(v.id, n))));
    }
    return { violations, known: knownOnes };
  }, KNOWN);
  return result;
}

// Horizontal overflow of the page in CSS pixels (0 or less: no horizontal scrolling).
export async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// Generous: the tests must pass on a loaded machine, where Chromium can take seconds to
// render a page. Every wait is for a condition; this only bounds a wait that never ends.
export const TIMEOUT = 60000;

// Reports, through `report(text)`, the failed requests and the error answers (400 and above)
// of `page`, except answers for which `expected(response)` is true.
//
// A request the browser cancels because its page is being left is not a failure: a page left
// just after its load cancels its `favicon.svg` (net::ERR_ABORTED), which made the tests fail
// at random on a loaded machine. It is told apart by the navigation that cancelled it: a
// navigation request of the same page started after it (Chromium reports the navigation
// before the requests it cancels), or the page or its frame is gone. ERR_ABORTED without such
// a navigation (a fetch abandoned while the page stays) still counts, as do a 404, a refused
// connection or a missing file. An image or the favicon the browser cancels by itself while
// the page stays (a lazy image of a card that left the loading distance when the viewport
// narrowed: seen in CI at 320 px) is asked again from Node: excused if it loads, reported if
// it does not (await `requestsSettled(page)` before the verdict). Returns the list of excused
// requests.
export function watchRequests(page, report, expected = () => false) {
  const excused = [];
  let navigations = 0;
  // Each request → the number of navigations started before it (itself included).
  const startedAfter = new WeakMap();
  page.on('request', (request) => {
    if (request.isNavigationRequest()) navigations += 1;
    startedAfter.set(request, navigations);
  });
  const left = (request) => {
    if (page.isClosed()) return true;
    let frame = null;
    try {
      frame = request.frame();
    } catch {
      // A service worker's request has no frame: judged on the navigations alone.
    }
    if (frame?.isDetached()) return true;
    return startedAfter.has(request) && navigations > startedAfter.get(request);
  };
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText || 'erreur inconnue';
    if (error === 'net::ERR_ABORTED' && left(request)) {
      excused.push(request.url());
      return;
    }
    if (error === 'net::ERR_ABORTED' && (request.resourceType() === 'image' || isIcon(request))) {
      const url = request.url();
      const check = loads(url).then((ok) => {
        if (ok) excused.push(url);
        else report(`requête échouée : ${url} (${error}), et l'image ne se charge pas`);
      });
      checksOf(page).push(check);
      return;
    }
    report(`requête échouée : ${request.url()} (${error})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response)) {
      report(`HTTP ${response.status()} : ${response.url()}`);
    }
  });
  return excused;
}

// The favicon is asked by the browser itself, not by the page, once the page has loaded: when
// the next navigation follows at once, Chromium may cancel it without a navigation request
// started after it (seen in CI: `favicon.svg (net::ERR_ABORTED)` between two `page.goto`). It
// is judged like a cancelled image: asked again from Node.
const isIcon = (request) => /\/favicon\.[a-z]+$/.test(new URL(request.url()).pathname);

// Checks of cancelled images still running, per page (see requestsSettled).
const checks = new WeakMap();
const checksOf = (page) => {
  if (!checks.has(page)) checks.set(page, []);
  return checks.get(page);
};

// Whether `url` answers with a success when asked again from Node.
async function loads(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

// Waits until every cancelled image of `page` has been checked: call it before the final
// verdict on the problems reported.
export async function requestsSettled(page) {
  await Promise.all(checksOf(page));
}

// Routes every request of `context` through Node to change the answer's headers (`extra`
// added), as a server would send them. A request the browser gave up meanwhile (its page was
// left) cannot be fulfilled any more: that is not an error. A request Node cannot make fails
// in the browser too (net::ERR_FAILED), where watchRequests reports it.
export async function addHeaders(context, extra) {
  await context.route('**/*', async (route) => {
    let response;
    try {
      response = await route.fetch();
    } catch {
      await route.abort().catch(() => {});
      return;
    }
    await route.fulfill({ response, headers: { ...response.headers(), ...extra } }).catch(() => {});
  });
}
