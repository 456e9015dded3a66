// The portal in headless Debian Chromium: the key figure and the region
// chart equal what the extracts say, before and after the sex filter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { contactYears, gpClusters, gpContactsPer1000, gpContactCountsBySex, gpContactsPer1000InPeriod, healthClusters, hospitalContacts, hospitalContactsByChapter, hospitalContactsByHospital, latestYear, parseNumber, regions, sectorCombinations } from './expected.mjs';

const url = process.env.TVAERS_URL;
const extracts = process.env.TVAERS_EXTRACTS;
const geography = process.env.TVAERS_GEOGRAPHY;
const artifacts = process.env.TVAERS_ARTIFACTS ?? join(process.cwd(), 'artifacts');
const flags = (process.env.TVAERS_CHROMIUM_FLAGS ??
  '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync')
  .split(' ')
  // Playwright runs headless and gives every launch a fresh profile itself.
  .filter((f) => f !== '--headless' && !f.startsWith('--user-data-dir'));

let browser;

before(async () => {
  assert.ok(url && extracts && geography, 'run through `cargo xtask test` (TVAERS_URL, TVAERS_EXTRACTS, TVAERS_GEOGRAPHY)');
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: flags,
  });
});

after(async () => {
  await browser?.close();
});

/** The key figure: shown text, parsed, and the exact data-value. */
async function keyFigure(page) {
  const value = page.getByTestId('key-figure').locator('.value');
  const text = (await value.textContent()).trim();
  const lang = await page.locator('html').getAttribute('lang');
  return { text, shown: parseNumber(text, lang), exact: Number(await value.getAttribute('data-value')) };
}

/** Region code → exact value from the table twin. */
async function regionTable(page) {
  const cells = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.dataset.key, r.querySelector('td').dataset.value]),
  );
  return Object.fromEntries(cells.map(([k, v]) => [k, Number(v)]));
}

/** Waits until the key figure's exact value is `value`: a string compared exactly, a number to 1e-6. */
async function keyFigureBecomes(page, value) {
  await page.waitForFunction((v) => {
    const shown = document.querySelector('[data-testid="key-figure"] .value')?.dataset.value;
    return typeof v === 'number' ? Math.abs(Number(shown) - v) < 1e-6 : shown === v;
  }, value);
}

/** Opens the overview and waits for its key figure and theme cards;
 * `tiles` collects the names (families) of the tiles the page fetches. */
async function openCountingTiles() {
  const page = await browser.newPage();
  const manifest = await (await fetch(`${url}/api/manifest`)).json();
  const names = new Map(manifest.tiles.map((t) => [t.url, t.family]));
  const tiles = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/tiles/')) tiles.push(names.get(path) ?? path);
  });
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.theme-card .value').length === 6);
  return { page, tiles };
}

/** How often each tile was fetched. */
function fetches(tiles) {
  const counts = {};
  for (const t of tiles) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

function assertClose(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

/** A number as the page shows it (Danish), to one decimal of `expected`. */
function assertShownNumber(text, expected, what) {
  const shown = parseNumber(text, 'da');
  assert.ok(Math.abs(shown - expected) <= 0.05 + 1e-9, `${what}: shows ${text}, expected ${expected}`);
}

function assertShown(figure, expected, what) {
  assertClose(figure.exact, expected, `${what} (exact)`);
  assert.ok(Math.abs(figure.shown - expected) <= 0.05 + 1e-9, `${what}: shows ${figure.text}, expected ${expected}`);
}

test('the national overview shows the figures of the extracts and the sex filter re-aggregates them', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');

  const all = gpContactsPer1000(extracts, geography);
  assertShown(await keyFigure(page), all.national, 'national, both sexes');
  const tableAll = await regionTable(page);
  for (const [region, value] of Object.entries(all.byRegion)) assertClose(tableAll[region], value, `region ${region}`);
  const chart = page.getByTestId('region-chart');
  const svgBefore = await chart.innerHTML();
  await page.screenshot({ path: join(artifacts, 'overview-desktop.png'), fullPage: true });

  const tileRequests = requests.filter((u) => u.includes('/api/tiles/')).length;
  await page.getByLabel('Kvinder').check();
  const women = gpContactsPer1000(extracts, geography, 'K');
  await page.waitForFunction(
    (previous) => document.querySelector('[data-testid="key-figure"] .value')?.dataset.value !== previous,
    String(all.national),
  );
  const figure = await keyFigure(page);
  assertShown(figure, women.national, 'national, women');
  const tableWomen = await regionTable(page);
  for (const [region, value] of Object.entries(women.byRegion)) assertClose(tableWomen[region], value, `region ${region}, women`);

  // The chart was redrawn with the women's values as its labels.
  const svgAfter = await chart.innerHTML();
  assert.notEqual(svgAfter, svgBefore, 'the chart changes with the filter');
  for (const value of Object.values(women.byRegion)) {
    const label = value.toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const neighbours = [value - 0.05, value + 0.05].map((v) =>
      v.toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    );
    assert.ok([label, ...neighbours].some((l) => svgAfter.includes(`>${l}<`) || svgAfter.includes(`${l}\n`)), `chart label ${label}`);
  }
  // Slicing happened in the browser: no tile was fetched again.
  assert.equal(requests.filter((u) => u.includes('/api/tiles/')).length, tileRequests, 'no new tile request');

  await page.getByLabel('Mænd').check();
  const men = gpContactsPer1000(extracts, geography, 'M');
  await page.waitForFunction(
    (previous) => document.querySelector('[data-testid="key-figure"] .value')?.dataset.value !== previous,
    String(figure.exact),
  );
  assertShown(await keyFigure(page), men.national, 'national, men');
  await page.close();
});

test('the measure picker switches measure and scale; each tile family is fetched once', async () => {
  const { page, tiles } = await openCountingTiles();
  const gp = await keyFigure(page);
  // The chart's tile first; the theme cards' tiles only after it.
  assert.equal(tiles[0], 'geography', 'the first chart needs one tile, fetched first');
  assert.deepEqual(
    fetches(tiles),
    // The chronic-disease card's figure is one target group (2+ chronic
    // groups): the target-group tile's part of that group, not all of it.
    { geography: 1, hospital: 1, 'geography.target_group=9': 1, sectors: 1, prescriptions_geo: 1 },
    'the cards add four tiles',
  );

  const expected = hospitalContacts(extracts, latestYear(extracts));
  assert.ok(expected.contacts > 0, 'the extracts have hospital contacts');
  await page.getByLabel('Mål').selectOption('hospital_contacts');
  await page.waitForURL(/[?&]measure=hospital_contacts(&|$)/);
  await page.waitForFunction(
    (previous) => document.querySelector('[data-testid="key-figure"] .value')?.dataset.value !== previous,
    String(gp.exact),
  );
  assertShown(await keyFigure(page), (expected.contacts / expected.citizens) * 1000, 'hospital contacts per 1,000');
  assert.match(await page.getByTestId('key-figure').textContent(), /pr\. 1\.000 borgere/);
  assert.equal(fetches(tiles).hospital, 1, 'the cards\' hospital tile serves the chart');

  await page.getByLabel('Antal').check();
  await page.waitForURL(/[?&]scale=count(&|$)/);
  await keyFigureBecomes(page, String(expected.contacts));
  assert.equal((await keyFigure(page)).text, expected.contacts.toLocaleString('da-DK'));

  // Back to the first measure: its tile is still decoded, nothing is fetched.
  await page.getByLabel('Mål').selectOption('gp_contacts');
  await page.waitForURL((u) => !u.search.includes('measure='));
  await keyFigureBecomes(page, String(gp.exact));
  assert.equal(tiles.length, 5, 'no tile fetched twice');
  await page.close();
});

test('restricting the citizens by civil status reads its own tile and matches the extracts', async () => {
  const { page, tiles } = await openCountingTiles();
  const all = await keyFigure(page);

  await page.getByLabel('Afgræns borgere efter').selectOption('civil_status');
  await page.waitForURL(/[?&]civil_status=1(&|$)/);
  await page.getByLabel('Civilstand').selectOption('2');
  await page.waitForURL(/[?&]civil_status=2(&|$)/);
  const married = gpContactsPer1000(extracts, geography, null, (p) => p.civil_status === 'G');
  const unmarried = gpContactsPer1000(extracts, geography, null, (p) => p.civil_status === 'U');
  assert.ok(married.national > 0 && married.national !== unmarried.national, 'the groups differ');
  await keyFigureBecomes(page, married.national);
  assertShown(await keyFigure(page), married.national, 'married citizens');
  assert.match(await page.getByTestId('key-figure').textContent(), /Gift/);
  const table = await regionTable(page);
  for (const [region, value] of Object.entries(married.byRegion)) assertClose(table[region], value, `region ${region}, married`);
  // One part of the civil-status tile per value chosen, never the whole
  // tile (every value), and each once.
  assert.equal(fetches(tiles)['geography.civil_status=1'], 1, 'the first value\'s part');
  assert.equal(fetches(tiles)['geography.civil_status=2'], 1, 'the married citizens\' part');
  assert.equal(fetches(tiles)['geography.civil_status'], undefined, 'not the whole civil-status tile');

  // Back to all citizens: the base tile is still decoded.
  await page.getByLabel('Afgræns borgere efter').selectOption('');
  await page.waitForURL((u) => !u.search.includes('civil_status'));
  await keyFigureBecomes(page, String(all.exact));
  assert.equal(tiles.length, 7, 'no tile fetched twice');
  await page.close();
});

test('the period filter shows one quarter or month from its tile and matches the extracts', async () => {
  const { page, tiles } = await openCountingTiles();
  const all = await keyFigure(page);

  const second = gpContactsPer1000InPeriod(extracts, geography, 4, 3);
  const fourth = gpContactsPer1000InPeriod(extracts, geography, 10, 3);
  const may = gpContactsPer1000InPeriod(extracts, geography, 5, 1);
  assert.ok(second.citizens > 0 && second.citizens < second.yearCitizens, 'some citizens of the year were not here in the quarter');
  assert.ok(second.national !== fourth.national, 'the quarters differ');
  assert.ok(may.citizens > 0 && may.citizens <= second.citizens, 'May\'s citizens are among the second quarter\'s');
  assert.ok(may.national !== second.national, 'May differs from its quarter');
  await page.getByLabel('Periode').selectOption('quarter=2');
  await page.waitForURL(/[?&]quarter=2(&|$)/);
  await keyFigureBecomes(page, second.national);
  assertShown(await keyFigure(page), second.national, 'second quarter');
  assert.match(await page.getByTestId('key-figure').textContent(), /2\. kvartal/);
  const table = await regionTable(page);
  for (const [region, value] of Object.entries(second.byRegion)) assertClose(table[region], value, `region ${region}, second quarter`);
  assert.equal(fetches(tiles)['geography.quarter=2'], 1, 'the second quarter\'s part is fetched once');
  assert.equal(fetches(tiles)['geography.quarter'], undefined, 'not the whole quarter tile');
  // Quarters and person attributes each have a tile of their own: the
  // person filter is locked, and says why.
  assert.ok(await page.getByLabel('Afgræns borgere efter').isDisabled(), 'the person filter is locked');
  assert.match(await page.locator('#person-hint').textContent(), /kvartal/);

  await page.getByLabel('Periode').selectOption({ label: '4. kvartal' });
  await page.waitForURL(/[?&]quarter=4(&|$)/);
  await keyFigureBecomes(page, fourth.national);
  assertShown(await keyFigure(page), fourth.national, 'fourth quarter');
  assert.equal(fetches(tiles)['geography.quarter=4'], 1, 'another quarter reads its own part');
  assert.equal(fetches(tiles)['geography.quarter'], undefined, 'still not the whole quarter tile');

  // A month, from the month tile's part of it.
  await page.getByLabel('Periode').selectOption({ label: 'maj' });
  await page.waitForURL((u) => /[?&]month=5(&|$)/.test(u.search) && !u.search.includes('quarter'));
  await keyFigureBecomes(page, may.national);
  assertShown(await keyFigure(page), may.national, 'May');
  assert.match(await page.getByTestId('key-figure').textContent(), /· maj/);
  const mayTable = await regionTable(page);
  for (const [region, value] of Object.entries(may.byRegion)) assertClose(mayTable[region], value, `region ${region}, May`);
  assert.equal(fetches(tiles)['geography.month=5'], 1, 'May\'s part is fetched once');
  assert.equal(fetches(tiles)['geography.month'], undefined, 'not the whole month tile');
  assert.match(await page.locator('#person-hint').textContent(), /måned/);

  await page.getByLabel('Periode').selectOption('');
  await page.waitForURL((u) => !u.search.includes('quarter') && !u.search.includes('month'));
  await keyFigureBecomes(page, String(all.exact));
  await page.close();
});

test('restricting the citizens to a GP cluster starts at the first cluster in the tile and matches the extracts', async () => {
  const { page, tiles } = await openCountingTiles();

  const year = latestYear(extracts);
  const clusters = gpClusters(extracts, year);
  const first = Math.min(...[...clusters.values()].filter((c) => c > 0));
  await page.getByLabel('Afgræns borgere efter').selectOption('gp_cluster');
  await page.waitForURL(new RegExp(`[?&]gp_cluster=${first}(&|$)`));
  const inFirst = gpContactsPer1000(extracts, geography, null, (p) => clusters.get(p.cpr) === first);
  await keyFigureBecomes(page, inFirst.national);
  assertShown(await keyFigure(page), inFirst.national, `GP cluster ${first}`);
  assert.match(await page.getByTestId('key-figure').textContent(), new RegExp(`Lægeklynge ${first}`));

  // Citizens listed with no practice (health-insurance group 2).
  await page.getByLabel('Lægeklynge').selectOption('0');
  await page.waitForURL(/[?&]gp_cluster=0(&|$)/);
  const unlisted = gpContactsPer1000(extracts, geography, null, (p) => (clusters.get(p.cpr) ?? 0) === 0);
  assert.ok(unlisted.national > 0 && unlisted.national !== inFirst.national, 'the groups differ');
  await keyFigureBecomes(page, unlisted.national);
  assert.match(await page.getByTestId('key-figure').textContent(), /Ikke tilmeldt en lægepraksis/);
  // The clusters offered come from the manifest's parts: the first
  // cluster's part, then the unlisted citizens', never the whole tile.
  assert.equal(fetches(tiles)[`geography.gp_cluster=${first}`], 1, 'the first cluster\'s part');
  assert.equal(fetches(tiles)['geography.gp_cluster=0'], 1, 'the unlisted citizens\' part');
  assert.equal(fetches(tiles)['geography.gp_cluster'], undefined, 'not the whole GP-cluster tile');
  assert.equal(tiles.length, 7, 'no tile fetched twice');

  // Back goes to the first cluster, then to all citizens: the address
  // that asked for "the first cluster" is not in the history.
  await page.goBack();
  await page.waitForURL(new RegExp(`[?&]gp_cluster=${first}(&|$)`));
  await keyFigureBecomes(page, inFirst.national);
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('gp_cluster'));
  await page.close();
});

test('a link with a release id reads that release; an unknown release says so', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const current = await keyFigure(page);
  const manifest = await (await fetch(`${url}/api/manifest`)).json();
  const link = page.getByTestId('release').getByRole('link');
  assert.equal(new URL(await link.getAttribute('href'), url).searchParams.get('release'), manifest.release);
  assert.match(await page.getByTestId('release').textContent(), new RegExp(manifest.release.slice(0, 12)));

  await page.goto(`${url}/?release=${manifest.release}`);
  await page.getByTestId('key-figure').waitFor();
  assert.equal((await keyFigure(page)).exact, current.exact, 'the pinned release shows the same numbers');
  assert.ok(requests.includes(`/api/releases/${manifest.release}`), 'the pinned manifest is requested');

  await page.goto(`${url}/?release=${'0'.repeat(64)}`);
  const error = page.getByRole('alert');
  await error.waitFor();
  assert.match(await error.textContent(), /404/);
  await page.close();
});

test('the page works at phone width and in English', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
  // The chart is drawn at phone size, not a desktop chart scaled down.
  const chartWidth = Number(await page.locator('[data-testid="region-chart"] svg').getAttribute('width'));
  assert.ok(chartWidth <= 390, `chart drawn ${chartWidth}px wide for a 390px screen`);
  // Turning the phone to a wide screen redraws the chart at desktop size.
  await page.setViewportSize({ width: 1200, height: 844 });
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="region-chart"] svg')?.getAttribute('width')) > 600,
  );
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="region-chart"] svg')?.getAttribute('width')) <= 390,
  );
  await page.screenshot({ path: join(artifacts, 'overview-phone.png'), fullPage: true });

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'National overview' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const text = (await page.getByTestId('key-figure').locator('.value').textContent()).trim();
  assert.match(text, /^\d{1,3}(,\d{3})*\.\d$/, `English number format: ${text}`);
  assert.ok(await page.getByLabel('Women').isVisible());
  await page.close();
});

test('the view lives in the URL: a copied link reproduces it and back restores the previous one', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const all = await keyFigure(page);

  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/[?&]sex=2(&|$)/);
  const women = await keyFigure(page);
  assert.notEqual(women.exact, all.exact);

  // A new tab with the copied address shows the same figure and filter.
  const copy = await browser.newPage();
  await copy.goto(page.url());
  await copy.getByTestId('key-figure').waitFor();
  assert.equal((await keyFigure(copy)).exact, women.exact);
  assert.ok(await copy.getByLabel('Kvinder').isChecked());

  // The language is part of the address too.
  await copy.goto(`${url}/?sex=2&lang=en`);
  await copy.getByRole('heading', { name: 'National overview' }).waitFor();
  assert.ok(await copy.getByLabel('Women').isChecked());
  assert.equal((await keyFigure(copy)).exact, women.exact);
  await copy.close();

  await page.goBack();
  await page.waitForFunction(
    (previous) => document.querySelector('[data-testid="key-figure"] .value')?.dataset.value !== previous,
    String(women.exact),
  );
  assert.equal((await keyFigure(page)).exact, all.exact);
  assert.ok(await page.getByLabel('Alle', { exact: true }).isChecked());
  await page.close();
});

test('"Om data" lists every measure of the catalogue with its formula, in both languages', async () => {
  const catalog = await (await fetch(`${url}/api/catalog`)).json();
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole('link', { name: 'Om data' }).click();
  await page.waitForURL(/\/om-data/);
  await page.getByRole('heading', { level: 1, name: 'Om data' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'about-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, '"Om data" fits a phone');
  await page.screenshot({ path: join(artifacts, 'about-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const measure of catalog.measures) {
    const card = page.locator(`section#${measure.key}`);
    assert.equal((await card.locator('h4').textContent()).trim(), measure.label.da);
    const codes = await card.locator('dd code').allTextContents();
    assert.deepEqual(codes.map((c) => c.trim()), measure.formulas.map((f) => f.formula), `${measure.key}: one formula per scale`);
  }
  // How a citizen gets a GP cluster, and how activity counts by practice
  // and by hospital.
  for (const [id, heading, words] of [
    ['gp-cluster', 'Lægeklynge', 'seneste tilmelding'],
    ['by-practice', 'Lægepraksis', 'ydernummer'],
    ['by-hospital', 'Sygehus', 'Region Sjællands sygehuse'],
  ]) {
    assert.equal((await page.locator(`h2#${id}`).textContent()).trim(), heading);
    assert.match(await page.locator(`h2#${id} + p`).textContent(), new RegExp(words));
  }
  // Every register's fields, each described in the page's language.
  const describedIn = async (lang) => {
    for (const register of catalog.registers) {
      const fields = await page.locator(`#register-${register.key} tbody th code`).allTextContents();
      assert.deepEqual(fields, register.columns.map((c) => c.name));
      const docs = await page.locator(`#register-${register.key} tbody small`).allTextContents();
      assert.deepEqual(docs, register.columns.map((c) => c.doc[lang]), `${register.key} in ${lang}`);
      // Formats and codes are set as code, not quoted with backticks.
      assert.doesNotMatch(await page.locator(`#register-${register.key} tbody`).textContent(), /`/, register.key);
    }
  };
  await describedIn('da');
  assert.match(await page.locator('#register-cpr tbody').textContent(), /pseudonymiseres ved modtagelsen/);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'About the data' }).waitFor();
  assert.match(page.url(), /\/om-data\?lang=en$/);
  for (const measure of catalog.measures) {
    assert.equal((await page.locator(`section#${measure.key} h4`).textContent()).trim(), measure.label.en);
  }
  await describedIn('en');
  // Unknown addresses answer with the portal's own "not found" page.
  await page.goto(`${url}/findes-ikke`);
  await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
  await page.close();
});

test('the CSV export holds the numbers of the table twin, as shown', async () => {
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${url}/?sex=2`);
  await page.getByTestId('key-figure').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Hent som CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'tvaers-gp_contacts-per_1000-region-sex-2.csv');
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'starts with a byte-order mark');
  const lines = text.slice(1).trimEnd().split('\r\n');
  assert.equal(lines[0], 'Region;Kontakter til almen praksis, pr. 1.000 borgere');
  const rows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]),
  );
  assert.equal(rows.length, 5);
  // Same numbers as the table shows, without thousands separators.
  assert.deepEqual(lines.slice(1), rows.map(([region, shown]) => `${region};${shown.replaceAll('.', '')}`));
  await page.close();
});

test('choosing a region shows it next to the whole country, broken down by municipality', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const hovedstaden = [...regions(geography)].filter(([, r]) => r === 1084).map(([m]) => String(m));

  const check = async (expected, what) => {
    assertClose((await keyFigure(page)).exact, expected.byRegion[1084], `${what}: region`);
    const comparison = Number(await page.getByTestId('comparison').getAttribute('data-value'));
    assertClose(comparison, expected.national, `${what}: whole country`);
    // The chart compares every municipality with the whole country too.
    const reference = page.getByTestId('region-chart').getByTestId('reference');
    assertClose(Number(await reference.getAttribute('data-value')), expected.national, `${what}: the chart's line`);
    assert.match(await reference.textContent(), /^Hele landet: /);
    const rows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.dataset.key, tr.querySelector('td').dataset.value]),
    );
    assert.deepEqual(rows.map(([k]) => k).sort(), [...hovedstaden].sort(), `${what}: the region's municipalities`);
    for (const [municipality, value] of rows) {
      const want = expected.byMunicipality[municipality];
      if (want === null) assert.equal(value, '', `${what}: municipality ${municipality} has no citizens`);
      else assertClose(Number(value), want, `${what}: municipality ${municipality}`);
    }
  };

  await page.getByLabel('Område', { exact: true }).selectOption('r1084');
  await page.waitForURL(/[?&]region=1084(&|$)/);
  await page.getByTestId('comparison').waitFor();
  await check(gpContactsPer1000(extracts, geography), 'both sexes');

  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/region=1084&sex=2/);
  await page.waitForFunction(() => document.querySelector('#sex-female')?.checked);
  await check(gpContactsPer1000(extracts, geography, 'K'), 'women');

  await page.getByLabel('Område', { exact: true }).selectOption('');
  await page.waitForURL((u) => !u.search.includes('region'));
  assert.equal(await page.getByTestId('comparison').count(), 0, 'no comparison for the whole country');
  await page.close();
});

test('keyboard only: Tab reaches every control, and the filters work without a mouse', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const reached = new Set();
  for (let i = 0; i < 55; i += 1) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(() => {
        const el = document.activeElement;
        return `${el.tagName.toLowerCase()}:${el.id || el.textContent.trim()}`;
      }),
    );
  }
  for (const control of ['a:Gå til indhold', 'a:Landsoverblik', 'a:Avanceret værktøj', 'a:Om data', 'button:English',
    'a:Børn og unge', 'select:measure', 'select:area', 'select:age', 'select:period', 'select:person-attribute', 'button:Hent som SVG',
    'button:Hent som PNG', 'button:Hent som CSV']) {
    assert.ok(reached.has(control), `Tab reaches ${control} (reached: ${[...reached].join(', ')})`);
  }
  assert.ok([...reached].some((c) => c.startsWith('input:sex-')), 'Tab reaches the sex radio group');
  // The bar chart is one Tab stop: its first bar, named with its value.
  const bars = [...reached].filter((c) => c.startsWith('rect:'));
  assert.equal(bars.length, 1, `Tab reaches the bar chart once (${bars.join(', ')})`);
  // The arrow keys move between the bars, End to the last; each bar is named.
  const chart = page.getByTestId('region-chart');
  await chart.locator('[data-bar="0"]').focus();
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => [document.activeElement.dataset.bar, document.activeElement.querySelector('title')?.textContent]);
  const tableRows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()]),
  );
  assert.deepEqual(second, ['1', `${tableRows[1][0]}: ${tableRows[1][1]}`], 'the second bar, named as in the table');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.bar), String(tableRows.length - 1));
  assert.equal(await chart.locator('[tabindex="0"]').count(), 1, 'one Tab stop, the focused bar');
  // The map is one stop: one of its areas, not 98.
  const areas = [...reached].filter((c) => c.startsWith('path:map-m-'));
  assert.equal(areas.length, 1, `Tab reaches the map once (${areas.join(', ')})`);

  // Choose "Kvinder" with the arrow keys, as a keyboard user does in a radio group.
  await page.locator('#sex-all').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForURL(/[?&]sex=2(&|$)/);
  assert.ok(await page.locator('#sex-female').isChecked());
  await page.close();
});

/** Code → exact value of the map's areas (`null` for an area without one). */
async function mapValues(page) {
  const areas = await page.locator('[data-testid="map"] path.area').evaluateAll((paths) =>
    paths.map((p) => [p.dataset.key, p.dataset.value, p.getAttribute('fill')]),
  );
  return areas.map(([key, value, fill]) => ({ key, value: value === '' ? null : Number(value), fill }));
}

function assertAreas(areas, expected, what) {
  assert.deepEqual(areas.map((a) => a.key).sort(), Object.keys(expected).sort(), `${what}: one area each`);
  for (const { key, value } of areas) {
    if (expected[key] === null) assert.equal(value, null, `${what}: ${key} has no value`);
    else assertClose(value, expected[key], `${what}: ${key}`);
  }
}

test('the map colours every municipality and region by its value; pointing, keys and clicks select an area', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  await page.getByTestId('map').waitFor();
  const all = gpContactsPer1000(extracts, geography);

  // Every municipality, with the value of the extracts.
  const areas = await mapValues(page);
  assert.equal(areas.length, 98);
  assertAreas(areas, all.byMunicipality, 'municipalities');
  // Darker is more: the legend lists the classes light to dark, and the
  // areas' classes never fall as their values rise.
  const swatches = await page.locator('[data-testid="map-legend"] .swatch').evaluateAll((s) =>
    s.map((e) => getComputedStyle(e).backgroundColor),
  );
  const fills = await page.locator('[data-testid="map"] path.area').evaluateAll((paths) =>
    paths.map((p) => getComputedStyle(p).fill),
  );
  const classOf = fills.map((f) => swatches.indexOf(f));
  assert.ok(classOf.every((c) => c >= 0), 'every fill is in the legend');
  const ranked = areas.map((a, i) => ({ value: a.value, cls: classOf[i] })).filter((a) => a.value !== null).sort((a, b) => a.value - b.value);
  for (let i = 1; i < ranked.length; i += 1) assert.ok(ranked[i].cls >= ranked[i - 1].cls, 'classes rise with the values');
  assert.ok(new Set(ranked.map((a) => a.cls)).size >= 3, 'at least three classes are used');

  // The table twin holds the same numbers.
  await page.getByTestId('map-table').locator('summary').click();
  const twin = await page.locator('[data-testid="map-data-table"] tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.key, tr.querySelector('td').dataset.value])),
  );
  for (const a of areas) assert.equal(twin[a.key], a.value === null ? '' : String(a.value), `table twin, ${a.key}`);

  // Pointing at Aarhus shows its value in a tooltip.
  await page.locator('#map-m-751').hover();
  const tooltip = page.getByTestId('map-tooltip');
  await tooltip.waitFor();
  const text = await tooltip.textContent();
  assert.ok(text.startsWith('Aarhus: '), text);
  assertShownNumber(text.slice('Aarhus: '.length).split(' ')[0], all.byMunicipality[751], 'tooltip');
  await page.screenshot({ path: join(artifacts, 'map-desktop.png'), fullPage: true });

  // The keyboard: arrows move between areas, Enter selects.
  await page.mouse.move(0, 0);
  await page.locator('#map-m-751').focus();
  // Focus shows the tooltip too, and the re-render keeps the focus.
  await page.waitForFunction(() => document.querySelector('[data-testid="map-tooltip"]')?.textContent.startsWith('Aarhus'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'map-m-751', 'focus stays on the area');
  await page.keyboard.press('ArrowRight');
  const next = await page.evaluate(() => document.activeElement.id);
  assert.ok(next.startsWith('map-m-') && next !== 'map-m-751', `focus moved on (${next})`);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'map-m-751');
  assert.equal(await page.locator('#map-m-751').getAttribute('tabindex'), '0', 'the focused area holds the map\'s Tab stop');
  await page.keyboard.press('Enter');
  await page.waitForURL(/[?&]municipality=751(&|$)/);
  await keyFigureBecomes(page, all.byMunicipality[751]);
  const comparisons = await page.getByTestId('comparison').evaluateAll((ps) => ps.map((p) => [p.textContent, Number(p.dataset.value)]));
  assert.equal(comparisons.length, 2);
  assert.ok(comparisons[0][0].startsWith('Region Midtjylland'), comparisons[0][0]);
  assertClose(comparisons[0][1], all.byRegion[1082], 'comparison: the region');
  assertClose(comparisons[1][1], all.national, 'comparison: the whole country');
  // The chart breaks down the region's municipalities, the chosen one marked.
  const rows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.key, tr.classList.contains('selected')]),
  );
  const midtjylland = [...regions(geography)].filter(([, r]) => r === 1082).map(([m]) => String(m));
  assert.deepEqual(rows.map(([k]) => k).sort(), midtjylland.sort());
  assert.deepEqual(rows.filter(([, s]) => s).map(([k]) => k), ['751']);
  assert.equal(await page.locator('#map-m-751').getAttribute('aria-pressed'), 'true');

  // A click selects another municipality; a filter recolours the map.
  await page.locator('#map-m-461').click();
  await page.waitForURL(/[?&]municipality=461(&|$)/);
  await keyFigureBecomes(page, all.byMunicipality[461]);
  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/sex=2/);
  const women = gpContactsPer1000(extracts, geography, 'K');
  await page.waitForFunction((v) => Math.abs(Number(document.querySelector('#map-m-461')?.dataset.value) - v) < 1e-6, women.byMunicipality[461]);
  assertAreas(await mapValues(page), women.byMunicipality, 'municipalities, women');

  // Regions: five areas; clicking the selected one again selects the country.
  await page.getByLabel('Regioner', { exact: true }).check();
  await page.waitForURL(/[?&]map=region(&|$)/);
  await page.locator('#map-r-1081').waitFor();
  assertAreas(await mapValues(page), women.byRegion, 'regions, women');
  await page.locator('#map-r-1081').click();
  await page.waitForURL(/[?&]region=1081(&|$)/);
  await keyFigureBecomes(page, women.byRegion[1081]);
  await page.locator('#map-r-1081').click();
  await page.waitForURL((u) => !u.search.includes('region=') && u.search.includes('map=region'));
  await keyFigureBecomes(page, women.national);
  await page.close();
});

test('the map works at phone width', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${url}/?municipality=101`);
  await page.getByTestId('map').waitFor();
  const box = await page.locator('[data-testid="map"] svg').boundingBox();
  assert.ok(box.width <= 390 && box.width > 300, `the map fits the screen (${box.width} px)`);
  // København is outlined, in the capital inset as on the main map.
  assert.equal(await page.locator('#map-m-101').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('[data-testid="map"] path.outline').count(), 1);
  await page.screenshot({ path: join(artifacts, 'map-phone.png'), fullPage: true });
  await page.close();
});

/** Code → exact value of a table (`null` for no value). */
async function tableValues(page, testid) {
  const rows = await page.locator(`[data-testid="${testid}"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.key, tr.querySelector('td').dataset.value]),
  );
  return Object.fromEntries(rows.map(([k, v]) => [k, v === '' ? null : Number(v)]));
}

function assertValues(actual, expected, what) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: the same rows`);
  for (const [key, want] of Object.entries(expected)) {
    if (want === null) assert.equal(actual[key], null, `${what}: ${key} has no value`);
    else assertClose(actual[key], want, `${what}: ${key}`);
  }
}

test('the advanced tool draws up to four charts from the tiles, filters them together and keeps the report in the address', async () => {
  const { page, tiles } = await openAdvanced();
  const all = gpContactsPer1000(extracts, geography);
  const women = gpContactsPer1000(extracts, geography, 'K');
  const men = gpContactsPer1000(extracts, geography, 'M');

  // The default report: four charts from two tiles, each fetched once.
  assert.equal(await page.locator('section.report-chart').count(), 4);
  assert.equal(tiles.length, 2, `two tile requests (${tiles.join(', ')})`);
  const map = Object.fromEntries((await page.locator('[data-testid="chart-1"] path.area').evaluateAll((ps) =>
    ps.map((p) => [p.dataset.key, p.dataset.value]))).map(([k, v]) => [k, v === '' ? null : Number(v)]));
  assertValues(map, all.byMunicipality, 'chart 1, the map');

  // Chart 2: GP contacts by region as a table.
  await page.locator('#c2-by').selectOption('region');
  await page.locator('#c2-kind').selectOption('table');
  await page.waitForURL(/chart=gp_contacts\.\.region\.table/);
  assertValues(await tableValues(page, 'chart-2-table'), all.byRegion, 'chart 2, by region');
  // Chart 3: another measure, then by sex.
  await page.locator('#c3-measure').selectOption('gp_contacts');
  await page.locator('#c3-by').selectOption('sex');
  await page.waitForURL(/chart=gp_contacts\.\.sex\.bar/);
  assertValues(await tableValues(page, 'chart-3-table'), { 1: men.national, 2: women.national }, 'chart 3, by sex');
  // A map only where a map fits.
  assert.deepEqual(await page.locator('#c3-kind option').evaluateAll((os) => os.map((o) => o.value)), ['bar', 'table']);

  // The shared filter re-aggregates every chart, with no new request.
  const before = tiles.length;
  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/sex=2/);
  await page.waitForFunction((v) => Math.abs(Number(document.querySelector('[data-testid="chart-2-table"] tr[data-key="1081"] td')?.dataset.value) - v) < 1e-6, women.byRegion[1081]);
  assertValues(await tableValues(page, 'chart-2-table'), women.byRegion, 'chart 2, women');
  const womenMap = Object.fromEntries((await page.locator('[data-testid="chart-1"] path.area').evaluateAll((ps) =>
    ps.map((p) => [p.dataset.key, p.dataset.value]))).map(([k, v]) => [k, v === '' ? null : Number(v)]));
  assertValues(womenMap, women.byMunicipality, 'chart 1, women');
  assert.equal(tiles.length, before, 'no tile fetched again');
  await page.screenshot({ path: join(artifacts, 'advanced-desktop.png'), fullPage: true });

  // A copied address reproduces the report.
  const address = page.url();
  const copy = await browser.newPage();
  await copy.goto(address);
  await copy.getByTestId('chart-3-table').waitFor({ state: 'attached' });
  assertValues(await tableValues(copy, 'chart-2-table'), women.byRegion, 'copied link, chart 2');
  assertValues(await tableValues(copy, 'chart-3-table'), { 1: null, 2: women.national }, 'copied link, chart 3');
  await copy.close();

  // Clicking Aarhus on the map selects it; the region chart marks its region.
  await page.locator('#c1-map-m-751').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/municipality=751/);
  await page.waitForSelector('[data-testid="chart-2-table"] tr.selected');
  assert.equal(await page.locator('[data-testid="chart-2-table"] tr.selected').getAttribute('data-key'), '1082');

  // Remove a chart, add one; never more than four.
  await page.getByRole('button', { name: 'Fjern diagram 4' }).click();
  await page.waitForFunction(() => document.querySelectorAll('section.report-chart').length === 3);
  await page.getByRole('button', { name: 'Tilføj diagram' }).click();
  await page.waitForFunction(() => document.querySelectorAll('section.report-chart').length === 4);
  assert.equal(await page.getByRole('button', { name: 'Tilføj diagram' }).count(), 0, 'no fifth chart');

  // A breakdown by one person attribute and a restriction by another cannot meet.
  await page.locator('#c4-by').selectOption('target_group');
  await page.getByLabel('Afgræns borgere efter').selectOption('civil_status');
  const alert = page.getByTestId('chart-4').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /kan ikke kombineres/);
  await page.close();
});

test('the advanced tool works at phone width', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${url}/avanceret`);
  await page.getByTestId('chart-4-table').waitFor();
  const widths = await page.locator('section.report-chart').evaluateAll((s) => s.map((e) => e.getBoundingClientRect().width));
  assert.ok(widths.every((w) => w <= 390), `charts fit the screen (${widths.join(', ')})`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `no sideways scrolling (${overflow} px)`);
  await page.screenshot({ path: join(artifacts, 'advanced-phone.png'), fullPage: true });
  await page.close();
});

/** Opens the advanced tool and waits for its four charts; `tiles` collects tile requests. */
async function openAdvanced() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const tiles = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/tiles/')) tiles.push(r.url());
  });
  await page.goto(`${url}/avanceret`);
  await page.getByTestId('chart-4-table').waitFor();
  await page.locator('[data-testid="chart-1"] path.area').first().waitFor();
  return { page, tiles };
}

/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('a chart and the map download as SVG and as PNG at twice their size', async () => {
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/?sex=2`);
  await page.getByTestId('map').waitFor();
  const save = async (figure, label) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(figure).getByRole('button', { name: label }).click(),
    ]);
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  };
  const women = gpContactsPer1000(extracts, geography, 'K');

  // The bar chart: a standalone SVG with the bars' labels as shown.
  const bars = await save('region-chart', 'Hent som SVG');
  assert.equal(bars.name, 'tvaers-gp_contacts-per_1000-region-sex-2.svg');
  const svg = bars.bytes.toString('utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (const value of Object.values(women.byRegion)) {
    const label = value.toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    assert.ok(svg.includes(label) || svg.includes((value + 0.05).toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 })), `SVG has ${label}`);
  }
  const barsPng = await save('region-chart', 'Hent som PNG');
  assert.equal(barsPng.name, 'tvaers-gp_contacts-per_1000-region-sex-2.png');
  const [w, h] = pngSize(barsPng.bytes);
  const shown = await page.getByTestId('region-chart').locator('svg').evaluate((s) => [Number(s.getAttribute('width')), Number(s.getAttribute('height'))]);
  assert.deepEqual([w, h], [shown[0] * 2, shown[1] * 2], 'PNG at twice the size');

  // The map: every municipality with its fill and outline in the file.
  const map = await save('map', 'Hent som SVG');
  assert.equal(map.name, 'tvaers-gp_contacts-per_1000-municipality-sex-2-map.svg');
  const mapSvg = map.bytes.toString('utf8');
  const areas = [...mapSvg.matchAll(/<path[^>]*class="area[^"]*"[^>]*>/g)].map((m) => m[0]);
  assert.equal(areas.length, 98);
  assert.ok(areas.every((p) => /fill="#[0-9a-f]{6}"/.test(p) && /stroke="#6b6b6b"/.test(p)), 'fills and outlines are attributes');
  const [viewW, viewH] = mapSvg.match(/viewBox="0 0 ([\d.]+) ([\d.]+)"/).slice(1).map(Number);
  const [mw, mh] = pngSize((await save('map', 'Hent som PNG')).bytes);
  assert.deepEqual([mw, mh], [Math.round(viewW * 2), Math.round(viewH * 2)]);
  await page.close();
});

test('the age filter restricts the key figure, the chart and the map to an age range', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByTestId('key-figure').waitFor();
  const year = latestYear(extracts);
  const elderly = gpContactsPer1000(extracts, geography, null, (p) => year - Number(p.birth_date.slice(0, 4)) >= 65);
  await page.getByLabel('Alder', { exact: true }).selectOption({ label: '65+ år' });
  await page.waitForURL(/[?&]age_group=3,4,5(&|$)/);
  await keyFigureBecomes(page, elderly.national);
  assert.match(await page.getByTestId('key-figure').locator('.context').textContent(), /65\+ år/);
  assertValues(await tableValues(page, 'breakdown-table'), elderly.byRegion, 'regions, 65+');
  assertAreas(await mapValues(page), elderly.byMunicipality, 'municipalities, 65+');
  // A link keeps the range.
  const copy = await browser.newPage();
  await copy.goto(page.url());
  await keyFigureBecomes(copy, elderly.national);
  assert.equal(await copy.getByLabel('Alder', { exact: true }).inputValue(), '3,4,5');
  await copy.close();
  await page.close();
});

test('the overview\'s theme cards lead into the standard reports, whose figures and charts match the extracts', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const tiles = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/tiles/')) tiles.push(r.url());
  });
  await page.goto(url);
  const year = latestYear(extracts);
  const children = gpContactsPer1000(extracts, geography, null, (p) => year - Number(p.birth_date.slice(0, 4)) <= 17);
  assert.equal(await page.locator('li.theme-card').count(), 6);
  const card = page.getByTestId('theme-boern-og-unge');
  await card.locator('.value').waitFor();
  assertClose(Number(await card.locator('.value').getAttribute('data-value')), children.national, 'card: GP contacts 0-17');

  await card.getByRole('link', { name: 'Børn og unge' }).click();
  await page.waitForURL(/\/rapporter\/boern-og-unge$/);
  await page.getByRole('heading', { level: 1, name: 'Børn og unge' }).waitFor();
  const figure = page.getByTestId('figure-1').locator('.value');
  await figure.waitFor();
  assertClose(Number(await figure.getAttribute('data-value')), children.national, 'report: first key figure');
  await page.locator('[data-testid="chart-1"] path.area').first().waitFor();
  const map = Object.fromEntries((await page.locator('[data-testid="chart-1"] path.area').evaluateAll((ps) =>
    ps.map((p) => [p.dataset.key, p.dataset.value]))).map(([k, v]) => [k, v === '' ? null : Number(v)]));
  assertValues(map, children.byMunicipality, 'report: map of 0-17');
  // The report's charts have no controls; its age range is fixed.
  assert.equal(await page.locator('.chart-controls').count(), 0);
  assert.equal(await page.getByLabel('Alder', { exact: true }).count(), 0);
  await page.getByTestId('chart-4-table').waitFor();
  await page.screenshot({ path: join(artifacts, 'report-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the report fits a phone');
  await page.screenshot({ path: join(artifacts, 'report-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 1000 });
  // Every tile was fetched once, the overview's included.
  assert.equal(new Set(tiles).size, tiles.length, `no tile fetched twice (${tiles.length})`);

  // A municipality: the figure beside its region and the country.
  await page.getByLabel('Område', { exact: true }).selectOption('m751');
  await page.waitForURL(/rapporter\/boern-og-unge\?municipality=751/);
  await page.waitForFunction((v) => Math.abs(Number(document.querySelector('[data-testid="figure-1"] .value')?.dataset.value) - v) < 1e-6, children.byMunicipality[751]);
  const compared = await page.getByTestId('figure-1').getByTestId('comparison').evaluateAll((ps) => ps.map((p) => Number(p.dataset.value)));
  assertClose(compared[0], children.byRegion[1082], 'the region');
  assertClose(compared[1], children.national, 'the country');

  // In English, and an unknown report.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Children and youth' }).waitFor();
  await page.goto(`${url}/rapporter/findes-ikke`);
  await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
  await page.close();
});

test('development over time: the key figure shows last year, and a line chart follows an area through the years', async () => {
  const years = contactYears(extracts);
  assert.ok(years.length >= 2, `the test data cover several years (${years})`);
  const [previous, latest] = years.slice(-2);
  const byYear = Object.fromEntries(years.map((y) => [y, gpContactsPer1000(extracts, geography, null, () => true, y)]));

  // The overview's key figure, with the year before.
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  const trend = page.getByTestId('key-figure').getByTestId('trend');
  await trend.waitFor();
  assertClose(Number(await trend.getAttribute('data-value')), byYear[previous].national, `the key figure's ${previous}`);
  const change = Math.round(((byYear[latest].national - byYear[previous].national) / byYear[previous].national) * 1000) / 10;
  const text = await trend.textContent();
  assert.ok(text.startsWith(`${previous}: `), text);
  const shown = Math.abs(change).toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (change > 0) assert.ok(text.endsWith(`(▲ +${shown} %)`), text);
  else if (change < 0) assert.ok(text.endsWith(`(▼ -${shown} %)`), text);
  else assert.ok(text.endsWith('(■ 0,0 %)'), text);

  // The advanced tool: GP contacts by year for Aarhus, beside the country.
  await page.goto(`${url}/avanceret?municipality=751&chart=gp_contacts..year.line`);
  await page.getByTestId('chart-1-line').waitFor();
  const values = await tableValues(page, 'chart-1-table');
  assertValues(values, Object.fromEntries(years.map((y) => [y, byYear[y].byMunicipality[751]])), 'Aarhus by year');
  const svg = await page.getByTestId('chart-1-line').innerHTML();
  assert.ok(svg.includes('Hele landet') && svg.includes('Aarhus'), 'the legend names both lines');
  // The kinds offered for years.
  assert.deepEqual(await page.locator('#c1-kind option').evaluateAll((os) => os.map((o) => o.value)), ['bar', 'line', 'table']);
  await page.screenshot({ path: join(artifacts, 'advanced-time-series.png'), fullPage: true });

  // Through the months of the latest year: a line by default, from the
  // whole month tile, Aarhus beside the country.
  const byMonth = Array.from({ length: 12 }, (_, i) => gpContactsPer1000InPeriod(extracts, geography, i + 1, 1, latest));
  assert.ok(new Set(byMonth.map((m) => m.byMunicipality[751])).size > 1, 'the months differ');
  await page.goto(`${url}/avanceret?municipality=751`);
  await page.getByTestId('chart-1').waitFor();
  await page.locator('#c1-by').selectOption('month');
  await page.waitForURL(/chart=gp_contacts\.\.month\.line/);
  await page.getByTestId('chart-1-line').waitFor();
  const months = await tableValues(page, 'chart-1-table');
  assertValues(months, Object.fromEntries(byMonth.map((m, i) => [i + 1, m.byMunicipality[751]])), 'Aarhus by month');
  const monthSvg = await page.getByTestId('chart-1-line').innerHTML();
  assert.ok(monthSvg.includes('Hele landet') && monthSvg.includes('jan') && monthSvg.includes('dec'), 'the country beside Aarhus, the months named');
  await page.close();
});

test('stacked bars show each region\'s count as men and women, with a table twin of the same numbers', async () => {
  const counts = gpContactCountsBySex(extracts, geography);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/avanceret?chart=gp_contacts.count.region.stacked`);
  await page.getByTestId('chart-1-stacked').waitFor();
  // Offered for counts only: stacked rates would not add up.
  assert.ok((await page.locator('#c1-kind option').evaluateAll((os) => os.map((o) => o.value))).includes('stacked'));
  const values = await tableValues(page, 'chart-1-table');
  const expected = {};
  for (const [region, bySex] of Object.entries(counts)) {
    expected[Number(region) * 2] = bySex.M;
    expected[Number(region) * 2 + 1] = bySex.K;
  }
  assertValues(values, expected, 'GP contacts by region and sex');
  const svg = await page.getByTestId('chart-1-stacked').innerHTML();
  assert.ok(svg.includes('Mænd') && svg.includes('Kvinder'), 'the legend names both parts');
  // The text summary names each part's highest and lowest region.
  const names = { 1081: 'Nordjylland', 1082: 'Midtjylland', 1083: 'Syddanmark', 1084: 'Hovedstaden', 1085: 'Sjælland' };
  const summary = await page.getByTestId('chart-1-stacked').getByTestId('chart-summary').textContent();
  for (const [sex, word] of [['M', 'Mænd'], ['K', 'Kvinder']]) {
    const ranked = Object.entries(counts).sort((a, b) => b[1][sex] - a[1][sex]);
    const [high, low] = [ranked[0], ranked[ranked.length - 1]];
    const part = `${word}: højest ${names[high[0]]} (${high[1][sex].toLocaleString('da-DK')}), lavest ${names[low[0]]} (${low[1][sex].toLocaleString('da-DK')})`;
    assert.ok(summary.includes(part), `summary "${summary}" has "${part}"`);
  }
  const total = counts[1084].M + counts[1084].K;
  assert.ok(svg.includes(total.toLocaleString('da-DK')), `the Capital Region's bar is labelled with its total ${total}`);
  await page.screenshot({ path: join(artifacts, 'advanced-stacked.png'), fullPage: true });
  // With one sex chosen, only its part is drawn, under the same keys.
  await page.goto(`${url}/avanceret?sex=2&chart=gp_contacts.count.region.stacked`);
  await page.getByTestId('chart-1-stacked').waitFor();
  const women = await tableValues(page, 'chart-1-table');
  assertValues(women, Object.fromEntries(Object.entries(counts).map(([r, c]) => [Number(r) * 2 + 1, c.K])), 'women by region');
  // A rate is not stacked: the chart falls back to bars, and the kind is not offered.
  await page.getByLabel('Pr. 1.000', { exact: true }).first().check();
  await page.getByTestId('chart-1-bars').waitFor();
  assert.ok(!(await page.locator('#c1-kind option').evaluateAll((os) => os.map((o) => o.value))).includes('stacked'));
  await page.close();
});

test('the advanced tool breaks hospital contacts down by diagnosis group for the whole country, as the extracts do', async () => {
  const year = latestYear(extracts);
  const expected = hospitalContactsByChapter(extracts, year);
  // The data exercises the breakdown: contacts in several chapters.
  assert.ok(Object.keys(expected).length >= 3, `contacts in chapters ${Object.keys(expected)}`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/avanceret?chart=hospital_contacts..diagnosis_group.table`);
  await page.getByTestId('chart-1-table').waitFor();
  const byKey = await page.locator('#c1-by option').evaluateAll((os) => os.map((o) => o.value));
  for (const by of ['diagnosis_group', 'specialty', 'department_type']) {
    assert.ok(byKey.includes(by), `hospital contacts can be broken down by ${by}: ${byKey}`);
  }
  const values = await tableValues(page, 'chart-1-table');
  // Every chapter and "codes outside the chapters" is a row; a chapter
  // without contacts has none to show.
  assert.deepEqual(Object.keys(values).map(Number).sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i + 1));
  for (const [code, value] of Object.entries(values)) {
    assertClose(value ?? 0, expected[code] ?? 0, `contacts in diagnosis group ${code}`);
  }
  const circulatory = page.getByTestId('chart-1-table').locator('tbody tr[data-key="9"]');
  assert.match(await circulatory.textContent(), /Kredsløbet/);
  // The tile has no citizens: counts only, no rate per 1,000 citizens.
  assert.equal(await page.locator('#c1-scale-per_1000').count(), 0, 'no per-1,000 scale');
  // GP contacts are not hospital activity: the breakdown is not offered.
  await page.locator('#c1-measure').selectOption('gp_contacts');
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('chart')?.includes('diagnosis_group'));
  assert.ok(!(await page.locator('#c1-by option').evaluateAll((os) => os.map((o) => o.value))).includes('diagnosis_group'));
  // The whole country's only: an area says so rather than being ignored.
  await page.goto(`${url}/avanceret?municipality=101&chart=hospital_contacts..diagnosis_group.table`);
  const alert = page.getByTestId('chart-1').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /opgøres for hele landet og kan ikke afgrænses efter kommune/);
  assert.equal(await page.getByTestId('chart-1-table').count(), 0, 'no figures for the municipality');
  await page.screenshot({ path: join(artifacts, 'advanced-diagnosis-group.png'), fullPage: true });
  await page.close();
});

test('the advanced tool breaks hospital contacts down by hospital, named by the tile, as the extracts do', async () => {
  const year = latestYear(extracts);
  const { counts, names } = hospitalContactsByHospital(extracts, year);
  assert.ok(Object.keys(counts).length >= 3 && counts[1000] > 0, `contacts at hospitals ${Object.keys(counts)}`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/avanceret?chart=hospital_contacts..hospital.table`);
  await page.getByTestId('chart-1-table').waitFor();
  const values = await tableValues(page, 'chart-1-table');
  assertValues(values, counts, 'hospital contacts by hospital');
  const labels = await page.locator('[data-testid="chart-1-table"] tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.key, tr.querySelector('th')?.textContent.trim()])),
  );
  for (const code of Object.keys(counts)) {
    const name = code === '1000' ? 'Region Sjælland som ét sygehus' : names[code];
    assert.equal(labels[code], name, `hospital ${code} is named`);
  }
  await page.close();
});

test('with a region or health cluster chosen, the breakdown by hospital shows its own hospitals, as the extracts do', async () => {
  const year = latestYear(extracts);
  const { counts, regions } = hospitalContactsByHospital(extracts, year);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  for (const region of [1081, 1085]) {
    const own = Object.fromEntries(Object.entries(counts).filter(([code]) => regions[code] === region));
    assert.ok(Object.keys(own).length >= 2, `hospitals of region ${region}: ${Object.keys(own)}`);
    await page.goto(`${url}/avanceret?region=${region}&chart=hospital_contacts..hospital.table`);
    await page.getByTestId('chart-1-table').waitFor();
    assertValues(await tableValues(page, 'chart-1-table'), own, `hospital contacts at the hospitals of region ${region}`);
    assert.match(await page.locator('.chart-context').first().textContent(), /Sygehuse i Region/);
  }
  // A health cluster: the hospitals at an address in its municipalities.
  const clusterOf = healthClusters(geography);
  const { municipalities } = hospitalContactsByHospital(extracts, year);
  const byCluster = {};
  for (const [code, contacts] of Object.entries(counts)) {
    const cluster = clusterOf.get(municipalities[code]);
    if (cluster) (byCluster[cluster] ??= {})[code] = contacts;
  }
  const [cluster, own] = Object.entries(byCluster).sort((a, b) => Object.keys(b[1]).length - Object.keys(a[1]).length)[0];
  await page.goto(`${url}/avanceret?health_cluster=${cluster}&chart=hospital_contacts..hospital.table`);
  await page.getByTestId('chart-1-table').waitFor();
  assertValues(await tableValues(page, 'chart-1-table'), own, `hospital contacts at the hospitals of health cluster ${cluster}`);
  assert.match(await page.locator('.chart-context').first().textContent(), /Sygehuse i /);
  // A municipality has no hospitals of its own in the tile: the message.
  await page.goto(`${url}/avanceret?municipality=751&chart=hospital_contacts..hospital.table`);
  await page.getByText('opgøres for hele landet eller for en regions eller sundhedsklynges sygehuse').waitFor();
  assert.equal(await page.getByTestId('chart-1-table').count(), 0);
  await page.close();
});

test('the exported re-aggregation benchmark computes what a plain group-by of its columns computes', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.wasmBindings?.benchmarkReAggregation);
  const { result, expected } = await page.evaluate(() => {
    const r = window.wasmBindings.benchmarkReAggregation(50_000, 1);
    const sums = new Map();
    for (let i = 0; i < r.region.length; i += 1) {
      if (r.sex[i] !== 2) continue;
      const s = sums.get(r.region[i]) ?? [0, 0];
      s[0] += r.numerator[i];
      s[1] += r.denominator[i];
      sums.set(r.region[i], s);
    }
    const expected = [...sums].sort((a, b) => a[0] - b[0]).map(([k, [n, d]]) => [k, (n / d) * 1000]);
    return { result: r.result, expected };
  });
  assert.equal(result.length, 5, 'five regions');
  assert.deepEqual(result.map(([k]) => k), expected.map(([k]) => k));
  result.forEach(([k, v], i) => assertClose(v, expected[i][1], `region ${k}`));
  await page.close();
});

test('the cross-sector report counts each citizen in one combination of sectors, as the extracts do', async () => {
  const year = latestYear(extracts);
  const expected = sectorCombinations(extracts, year);
  const c = expected.combinations;
  // The data exercises the rule: every combination occurs, and they add
  // up to the citizens.
  assert.deepEqual(Object.keys(c).sort(), ['', 'care', 'gp', 'gp+care', 'gp+hospital', 'gp+hospital+care', 'hospital', 'hospital+care']);
  assert.equal(Object.values(c).reduce((a, b) => a + b, 0), expected.citizens);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/rapporter/paa-tvaers-af-sektorer`);
  await page.getByRole('heading', { level: 1, name: 'Kontakt på tværs af sektorer' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="theme-figure"] .value').length === 4);
  const figures = await page.locator('[data-testid="theme-figure"] .value').evaluateAll((v) => v.map((e) => Number(e.dataset.value)));
  const share = (n) => (100 * n) / expected.citizens;
  assertClose(figures[0], share(expected.several), 'two or more sectors');
  assertClose(figures[1], share(c['gp+hospital+care']), 'all three sectors');
  assertClose(figures[2], share(c.gp), 'general practice only');
  assertClose(figures[3], share(c['']), 'no sector');
  await page.close();
});

test('every standard report draws its four key figures and four charts, in both languages', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  for (const slug of ['aeldre', 'kroniske-sygdomme', 'boern-og-unge', 'sundhedsklynger', 'paa-tvaers-af-sektorer']) {
    for (const lang of ['da', 'en']) {
      await page.goto(`${url}/rapporter/${slug}${lang === 'en' ? '?lang=en' : ''}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="theme-figure"] .value').length === 4);
      // Each chart's table, once its tile (a split tile for some) is in.
      for (const n of [1, 2, 3, 4]) {
        await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"] tbody tr td[data-value]:not([data-value=""])`), `chart-${n}-table`);
      }
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      // Every figure has a number; every chart has rows, most with values.
      const figures = await page.locator('[data-testid="theme-figure"] .value').evaluateAll((v) => v.map((e) => e.dataset.value));
      assert.ok(figures.every((v) => v !== '' && Number.isFinite(Number(v))), `${slug}: figures ${figures}`);
      for (const n of [1, 2, 3, 4]) {
        const values = Object.values(await tableValues(page, `chart-${n}-table`));
        assert.ok(values.length > 0 && values.filter((v) => v !== null).length >= values.length / 2, `${slug}: chart ${n} has values`);
      }
      assert.equal(await page.getByRole('alert').count(), 0, `${slug}: no error`);
      // Themes without an age range of their own offer the age filter.
      const fixedAge = ['aeldre', 'boern-og-unge'].includes(slug);
      assert.equal(await page.locator('select#age').count(), fixedAge ? 0 : 1, `${slug}: the age filter`);
    }
  }
  // The age filter restricts a report's figures: the data package, 65+.
  await page.goto(`${url}/rapporter/sundhedsklynger`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="theme-figure"] .value').length === 4);
  const all = await page.getByTestId('figure-1').locator('.value').getAttribute('data-value');
  await page.locator('select#age').selectOption('3,4,5');
  await page.waitForURL(/rapporter\/sundhedsklynger\?age_group=3,4,5/);
  await page.waitForFunction((before) => document.querySelector('[data-testid="figure-1"] .value')?.dataset.value !== before, all);
  assert.match(await page.getByTestId('figure-1').locator('.context').textContent(), /65\+ år/);
  await page.close();
});
