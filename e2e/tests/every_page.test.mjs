// Every page of the portal in headless Chromium, signed out and signed
// in, in both languages, at a phone's width and a desktop's:
// - accessibility: axe-core (the rules of WCAG 2.0, 2.1 and 2.2 at
//   levels A and AA, and its best practices) finds nothing, with the
//   menus and the tables beside the charts open;
// - on a phone, every table of names and values fits the screen: the
//   values are never scrolled out of sight; on a desktop its names are
//   on one line each;
// - printed, a page shows its heading, figures and the synthetic-data
//   notice, and no menu, button or form control;
// - a table's scroll region is a Tab stop while it scrolls, not while
//   its table fits;
// - the page names its icon (no request for /favicon.ico, which would be
//   answered with the whole page);
// - the bundle arrives brotli-compressed, once the server has compressed
//   it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const url = process.env.TVAERS_URL;
const flags = (process.env.TVAERS_CHROMIUM_FLAGS ??
  '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync')
  .split(' ')
  .filter((f) => f !== '--headless' && !f.startsWith('--user-data-dir'));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const WIDTHS = [
  [390, 844],
  [1280, 800],
];
const PUBLIC_PAGES = [
  '/',
  '/avanceret',
  // Every kind of chart: a line, stacked bars, a map and a table.
  '/avanceret?municipality=751&chart=gp_contacts..year.line&chart=gp_contacts.count.region.stacked&chart=gp_contacts..municipality.map&chart=admissions.count.sex.table',
  '/rapporter/aeldre',
  '/rapporter/kroniske-sygdomme',
  '/rapporter/boern-og-unge',
  '/rapporter/sundhedsklynger',
  '/rapporter/paa-tvaers-af-sektorer',
  '/rapporter/medicin',
  '/om-data',
  '/ikke-fundet',
  '/?lang=en',
  '/om-data?lang=en',
];

let browser;

before(async () => {
  assert.ok(url, 'run through `cargo xtask test`');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
});

after(async () => {
  await browser?.close();
});

/** A context for one width; the portal's content security policy is
 * bypassed so that the audit's own script can run in the page. */
async function context([width, height]) {
  return browser.newContext({ viewport: { width, height }, bypassCSP: true });
}

/** Opens a path and waits until its figures are drawn. */
async function open(page, path) {
  await page.goto(url + path, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => !document.querySelector('.loading') && document.querySelector('main h1'));
}

/**
 * Asserts that each table's scroll region is a Tab stop exactly while it
 * scrolls; returns whether each scrolls.
 */
async function checkTabStops(page, label) {
  const stops = await page.locator('.table-scroll').evaluateAll((all) =>
    all.map((e) => ({ scrolls: e.scrollWidth > e.clientWidth, stop: e.tabIndex === 0, name: e.getAttribute('aria-label') })),
  );
  const wrong = stops.filter((s) => s.scrolls !== s.stop).map((s) => `${s.name}: scrolls ${s.scrolls}, Tab stop ${s.stop}`);
  assert.deepEqual(wrong, [], label);
  return stops.map((s) => s.scrolls);
}

/** axe-core's violations on the page as it is, one line each. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`,
    );
  }, TAGS);
  return found;
}

async function audit(page, what) {
  assert.deepEqual(await violations(page), [], `${what}: accessibility violations`);
}

/** What the page shows when printed: the controls still visible, and
 * whether the heading and the synthetic-data notice are. */
async function printed(page) {
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => {
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    return {
      controls: [...document.querySelectorAll('nav, button, select, input, textarea')]
        .filter(visible)
        .map((e) => `${e.tagName.toLowerCase()} ${e.textContent.trim().slice(0, 30) || e.getAttribute('aria-label') || ''}`),
      heading: visible(document.querySelector('main h1')),
      notice: visible(document.querySelector('.notice')),
    };
  });
  await page.emulateMedia({ media: 'screen' });
  return shown;
}

async function checkPrint(page, what) {
  assert.deepEqual(await printed(page), { controls: [], heading: true, notice: true }, `${what}, printed`);
}

/** Words of the visible tables' headings that break across lines other
 * than after a hyphen, a slash, or an identifier's underscore or
 * parenthesis: a name cut where no reader would cut it
 * ("Blærebetændel-se"). The names of a table of names and values may give
 * way, so that the value stays beside its name. */
async function wordsBrokenInHeadings(page) {
  return page.locator('table th').evaluateAll((all) =>
    all
      .filter((th) => !th.closest('details:not([open])') && !th.matches('table.name-value tbody th'))
      .flatMap((th) => {
        const broken = [];
        const range = document.createRange();
        const top = (node, from, to) => {
          range.setStart(node, from);
          range.setEnd(node, to);
          return range.getBoundingClientRect().top;
        };
        const texts = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = texts.nextNode(); node; node = texts.nextNode()) {
          for (const word of node.data.matchAll(/\S+/g)) {
            const [text, at] = [word[0], word.index];
            // Only a word on more than one line is read letter by letter.
            if (top(node, at, at + 1) === top(node, at + text.length - 1, at + text.length)) continue;
            let line = top(node, at, at + 1);
            for (let i = 1; i < text.length; i++) {
              const next = top(node, at + i, at + i + 1);
              if (next > line + 2 && !'-–/_('.includes(text[i - 1])) broken.push(text);
              line = next;
            }
          }
        }
        return broken;
      }),
  );
}

/** Signs in as a demo user: of `org`, or the one of its role (the demo
 * practice's provider number depends on the population). */
async function signIn(page, role, org) {
  await page.getByTestId('sign-in').locator('summary').click();
  const which = org ? `[data-org="${org}"]` : '';
  await page.locator(`[data-testid="sign-in"] button[data-role="${role}"]${which}`).click();
  await page.getByTestId('signed-in-as').waitFor();
}

for (const size of WIDTHS) {
  test(`every public page at ${size[0]} px: axe, tables, print`, async () => {
    const ctx = await context(size);
    const page = await ctx.newPage();
    let regions = 0;
    for (const path of PUBLIC_PAGES) {
      await open(page, path);
      await page.locator('details.table-twin').evaluateAll((all) => all.forEach((d) => (d.open = true)));
      await audit(page, `${path} at ${size[0]} px`);
      await checkPrint(page, `${path} at ${size[0]} px`);
      regions += (await checkTabStops(page, `${path} at ${size[0]} px`)).length;
      if (size[0] < 480) {
        const wide = await page.locator('.table-block .table-scroll').evaluateAll((all) =>
          all
            .filter((e) => e.scrollWidth > e.clientWidth)
            .map((e) => `${e.getAttribute('aria-label')}: ${e.scrollWidth} px in ${e.clientWidth}`),
        );
        assert.deepEqual(wide, [], `${path} at ${size[0]} px: tables wider than the screen`);
        assert.deepEqual(await wordsBrokenInHeadings(page), [], `${path} at ${size[0]} px: words broken in tables' headings`);
      } else {
        // On a desktop every name of a table of names and values is
        // on one line, the longest health cluster's too.
        const wrapped = await page.locator('table.name-value tbody th').evaluateAll((all) =>
          all
            .filter((th) => {
              const range = document.createRange();
              range.selectNodeContents(th);
              return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
            })
            .map((th) => th.textContent),
        );
        assert.deepEqual(wrapped, [], `${path} at ${size[0]} px: names on more than one line`);
      }
    }
    // The menus as a visitor opens them: sign-in, and every register's
    // description on the data page.
    await open(page, '/');
    await page.getByTestId('sign-in').locator('summary').click();
    await audit(page, `/ with the sign-in menu open at ${size[0]} px`);
    await open(page, '/om-data');
    await page.locator('details.definition-card').evaluateAll((all) => all.forEach((d) => (d.open = true)));
    await audit(page, `/om-data with every register open at ${size[0]} px`);
    assert.deepEqual(await wordsBrokenInHeadings(page), [], `/om-data with every register open at ${size[0]} px: words broken in tables' headings`);
    assert.ok(regions > PUBLIC_PAGES.length, `only ${regions} tables' scroll regions checked`);
    await ctx.close();
  });

  test(`the closed pages at ${size[0]} px: axe, Tab stops, print`, async () => {
    const scrolling = [];
    for (const [role, org, paths] of [
      ['municipality', '0751', ['/lukket', '/avanceret', '/lukket?lang=en']],
      ['gp_practice', null, ['/klyngeindsigt', '/klyngeindsigt/indsats', '/praksisindsigt', '/praksisindsigt/indsats']],
    ]) {
      const ctx = await context(size);
      const page = await ctx.newPage();
      await open(page, '/');
      await signIn(page, role, org);
      for (const path of paths) {
        await open(page, path);
        await audit(page, `${path} as ${role} ${org ?? ''} at ${size[0]} px`);
        scrolling.push(...(await checkTabStops(page, `${path} as ${role} at ${size[0]} px`)).filter((s) => s));
        assert.deepEqual(await wordsBrokenInHeadings(page), [], `${path} as ${role} at ${size[0]} px: words broken in tables' headings`);
        await checkPrint(page, `${path} as ${role} ${org ?? ''} at ${size[0]} px`);
      }
      await ctx.close();
    }
    // The widest tables of the closed pages scroll (and are Tab stops):
    // both cases are checked.
    assert.ok(scrolling.length > 0, 'no table scrolls');
  });
}

test('every page names its icon, an SVG the portal serves, and its colour on a phone', async () => {
  const ctx = await context(WIDTHS[0]);
  const page = await ctx.newPage();
  await open(page, '/rapporter/medicin');
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await fetch(new URL(href, url));
  assert.equal(icon.status, 200, href);
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml', href);
  assert.match(await icon.text(), /^<svg[^>]*viewBox="0 0 32 32"/);
  assert.equal(await page.locator('meta[name="theme-color"]').getAttribute('content'), '#174a6c');
  await ctx.close();
});

test('the bundle is sent brotli-compressed once the server has compressed it', async () => {
  // The server compresses the bundle on a thread started with it.
  const started = Date.now();
  for (;;) {
    const health = await (await fetch(new URL('/healthz', url))).json();
    if (health.bundle_compressing === 0) break;
    assert.ok(Date.now() - started < 180_000, `still compressing: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const ctx = await context(WIDTHS[1]);
  const page = await ctx.newPage();
  const bundle = [];
  page.on('response', (r) => {
    if (/\.(wasm|js|css)$/.test(new URL(r.url()).pathname)) bundle.push(r);
  });
  await open(page, '/');
  const files = bundle.map((r) => new URL(r.url()).pathname).sort();
  assert.deepEqual(files.map((f) => f.split('.').pop()), ['css', 'js', 'wasm'], files.join(' '));
  for (const response of bundle) {
    const name = new URL(response.url()).pathname;
    const headers = await response.allHeaders();
    assert.equal(headers['content-encoding'], 'br', name);
    assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', name);
    const sent = (await response.request().sizes()).responseBodySize;
    const raw = await (await fetch(response.url(), { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
    assert.ok(sent * 2 < raw.byteLength, `${name}: ${sent} bytes sent of ${raw.byteLength}`);
  }
  await ctx.close();
});
