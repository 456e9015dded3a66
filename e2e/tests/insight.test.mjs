// The cluster insight pages (issue 8) in headless Chromium: a demo GP
// practice walks the national overview, cluster insight, the cluster's
// intervention area, practice insight and the practice's intervention
// area. Every figure is checked against tests/insight_oracle.py, which
// computes them from the generated extracts with DuckDB and SciPy; the
// practice's own name appears and the other practices of its cluster are
// anonymous. Signed out, the closed pages show nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const url = process.env.TVAERS_URL;
const flags = (process.env.TVAERS_CHROMIUM_FLAGS ??
  '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync')
  .split(' ')
  .filter((f) => f !== '--headless' && !f.startsWith('--user-data-dir'));

const CLOSED_PAGES = ['/klyngeindsigt', '/klyngeindsigt/indsats', '/praksisindsigt', '/praksisindsigt/indsats'];

let browser;

before(async () => {
  assert.ok(url && process.env.TVAERS_EXTRACTS, 'run through `cargo xtask test`');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
});

after(async () => {
  await browser?.close();
});

function oracle(provider, year, sex = 'all', ages = 'all') {
  return JSON.parse(
    execFileSync('python', ['tests/insight_oracle.py', provider, String(year), sex, ages], { encoding: 'utf8' }),
  );
}

/** The data attributes of a table's body rows. */
async function rowData(page, testid) {
  const table = page.getByTestId(testid);
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
}

function close(actual, expected, what) {
  if (expected === null || expected === undefined) {
    assert.equal(actual, '', `${what}: expected no value`);
    return;
  }
  const a = Number(actual);
  assert.ok(
    Math.abs(a - expected) <= 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: shown ${actual}, expected ${expected}`,
  );
}

/** A shown comparison (data attributes) against the oracle's. */
function sameComparison(shown, expected, what) {
  assert.equal(Number(shown.x), expected.x, `${what}: x`);
  assert.equal(Number(shown.n), expected.n, `${what}: n`);
  close(shown.value, expected.value, `${what}: value`);
  close(shown.low, expected.low, `${what}: 95 % low`);
  close(shown.high, expected.high, `${what}: 95 % high`);
  close(shown.p, expected.p, `${what}: p`);
}

// The oracle's key of a breakdown's row (tests/insight_oracle.py).
const PART_KEYS = {
  drug: (row) => row.label.split(' ')[0],
  product: (row) => row.label,
  consumption: (row) => row.key,
  treatment: (row) => row.key,
  package_size: (row) => row.key,
  addictive: (row) => (row.key === '201' ? 'True' : 'False'),
  depot: (row) => (row.key === '203' ? 'True' : 'False'),
};

function opioids_parts(o, measure, kind) {
  return o.parts[measure][kind] ?? {};
}

/** The rows of the breakdown by `kind`, once it is drawn. */
async function parts(page, kind) {
  const table = page.locator(`[data-testid="insight-parts"][data-by="${kind}"] table`);
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      key: tr.dataset.key,
      label: tr.querySelector('th').textContent,
      value: tr.querySelector('td').dataset.value,
      low: tr.querySelector('td.interval')?.dataset.low,
      high: tr.querySelector('td.interval')?.dataset.high,
    })),
  );
}

/** A breakdown's rows against the oracle's values (missing: none). */
function samePart(rows, expected, keyOf, what) {
  assert.ok(rows.length > 0, `${what}: no rows`);
  const keys = new Set(rows.map(keyOf));
  for (const key of Object.keys(expected)) {
    assert.ok(keys.has(key), `${what}: no row for ${key}`);
  }
  for (const row of rows) {
    close(row.value, expected[keyOf(row)] ?? 0, `${what}: ${row.label}`);
  }
}

async function ownComparison(page) {
  const own = page.getByTestId('own-comparison');
  await own.waitFor();
  return own.evaluate((e) => ({ ...e.dataset }));
}

/** Waits until the own comparison's n changes from `before`. */
async function ownComparisonChanges(page, before) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="own-comparison"]')?.dataset.n !== n,
    before.n,
  );
  return ownComparison(page);
}

test('signed out, the cluster and practice pages show no figures, and no closed tile is listed', async () => {
  const page = await browser.newPage();
  for (const path of CLOSED_PAGES) {
    await page.goto(`${url}${path}`);
    await page.getByTestId('insight-signed-out').waitFor();
    assert.equal(await page.getByTestId('insight-table').count(), 0, path);
    assert.equal(await page.getByTestId('funnel-table').count(), 0, path);
    assert.equal(await page.getByTestId('own-comparison').count(), 0, path);
  }
  const manifest = await (await fetch(`${url}/api/manifest`)).json();
  assert.ok(manifest.tiles.length > 0);
  assert.deepEqual(
    manifest.tiles.filter((t) => t.family === 'prescriptions' || t.scope),
    [],
    'no closed tile for a visitor',
  );
  await page.close();
});

test('on a phone and on a laptop, the closed pages fit the screen and a wide table scrolls inside its card', async () => {
  const pages = [
    ['/klyngeindsigt', 'insight-table'],
    ['/klyngeindsigt/indsats', 'funnel-table'],
    ['/praksisindsigt', 'insight-table'],
    ['/praksisindsigt/indsats', 'funnel-table'],
    ['/lukket', 'practice-table'],
  ];
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.getByTestId('sign-in').locator('summary').click();
    await page.locator('[data-testid="sign-in"] button[data-role="gp_practice"]').click();
    await page.getByTestId('signed-in-as').waitFor();
    let scrolled = 0;
    for (const [path, testid] of pages) {
      await page.goto(`${url}${path}`);
      const table = page.getByTestId(testid);
      await table.waitFor();
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(pageWidth <= viewport.width, `${path} is ${pageWidth} px wide on a ${viewport.width} px screen`);
      // A table wider than its card keeps its columns and scrolls inside.
      const card = await table.evaluate((t) => {
        const box = t.closest('.table-scroll');
        return {
          table: t.scrollWidth,
          shown: box.clientWidth,
          reach: box.scrollWidth,
          overflow: getComputedStyle(box).overflowX,
        };
      });
      if (card.table > card.shown) {
        scrolled += 1;
        assert.equal(card.overflow, 'auto', `${path}: the wide table scrolls`);
        assert.ok(card.reach >= card.table, `${path}: the whole table is in its card`);
      }
    }
    // On a phone the practice comparison is wider than the screen.
    if (viewport.width === 390) assert.ok(scrolled > 0, 'a table scrolls inside its card on a phone');
    await context.close();
  }
});

test('a demo GP practice walks overview, cluster insight and intervention, practice insight and intervention; every figure as the extracts give it', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();

  // 1. The national overview, public.
  await page.goto(`${url}/rapporter/medicin`);
  const figure = page.getByTestId('figure-1').locator('.value');
  await figure.waitFor();
  await page.getByTestId('sign-in').locator('summary').click();
  const demo = page.locator('[data-testid="sign-in"] button[data-role="gp_practice"]');
  const provider = await demo.getAttribute('data-org');
  assert.match(provider, /^\d{6}$/);
  const o = oracle(provider, 'latest');
  const { year, years } = o;
  const opioids = o.measures.opioid_patients;
  close(await figure.getAttribute('data-value'), opioids.country.value, 'overview: opioid patients per 1,000, country');

  await demo.click();
  await page.getByTestId('signed-in-as').waitFor();

  // 2. Cluster insight: every measure for the cluster against the country.
  await page.locator('nav.site-nav').getByRole('link', { name: 'Klyngeindsigt' }).click();
  await page.waitForURL(/\/klyngeindsigt(\?|$)/);
  const clusterRows = await rowData(page, 'insight-table');
  assert.equal(clusterRows.length, 10);
  for (const row of clusterRows) {
    const m = o.measures[row.measure];
    assert.ok(m, `unknown measure ${row.measure}`);
    sameComparison(row, m.cluster, `cluster ${row.measure}`);
    close(row.national, m.country.value, `country ${row.measure}`);
    assert.equal(row.clear, String(m.cluster.clear), `cluster ${row.measure}: statistically clear`);
    const verdict = !m.cluster.clear ? 'none' : m.cluster.value > m.country.value ? 'higher' : 'lower';
    assert.equal(row.verdict, verdict, `cluster ${row.measure}: verdict`);
  }
  const method = await page.getByTestId('method').textContent();
  assert.match(method, /Benjamini–Hochberg/);
  assert.match(method, /10 sammenligninger/);

  // 3. The cluster's intervention area, from the table's opioid row.
  await page.getByTestId('insight-table').getByRole('link', { name: 'Patienter, der har indløst opioider' }).click();
  await page.waitForURL(/\/klyngeindsigt\/indsats\?.*measure=opioid_patients/);
  const clusterOwn = await ownComparison(page);
  sameComparison(clusterOwn, opioids.cluster, 'cluster intervention');
  close(
    await page.getByTestId('insight-key-figure').locator('.value').getAttribute('data-value'),
    opioids.cluster.value,
    'cluster key figure',
  );
  const funnel = await rowData(page, 'funnel-table');
  assert.equal(funnel.length, opioids.funnel.length, 'a funnel row per practice of the cluster');
  const byCounts = (a, b) => Number(a.n) - Number(b.n) || Number(a.x) - Number(b.x);
  const shownFunnel = [...funnel].sort(byCounts);
  const expectedFunnel = [...opioids.funnel].sort(byCounts);
  shownFunnel.forEach((row, i) => {
    sameComparison(row, expectedFunnel[i], `funnel ${row.practice}`);
    assert.equal(row.clear, String(expectedFunnel[i].clear), `funnel ${row.practice}: statistically clear`);
  });
  assert.equal(
    await page.getByTestId('funnel').locator('circle').count(),
    funnel.filter((r) => Number(r.n) > 0).length,
    'a dot per practice',
  );
  // The practice is named, the others are letters, and nothing on the
  // page names them.
  const own = funnel.filter((r) => r.own === 'true');
  assert.equal(own.length, 1);
  assert.equal(own[0].practice, `${o.practice.name} (${provider})`);
  sameComparison(own[0], opioids.practice, 'funnel: the own practice');
  for (const row of funnel.filter((r) => r.own !== 'true')) {
    assert.match(row.practice, /^Praksis [A-Z]+$/);
  }
  const html = await page.content();
  for (const [number, name] of Object.entries(o.others)) {
    // As a number of its own: the page also holds tile ids (SHA-256 in
    // hex), in which any six digits turn up now and then.
    const alone = new RegExp(`(?<![0-9A-Za-z])${number}(?![0-9A-Za-z])`);
    assert.ok(!alone.test(html), `another practice's provider number ${number} on the page`);
    assert.ok(!html.includes(name), `another practice's name ${name} on the page`);
  }
  // The funnel's table twin exports what it shows.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('funnel-table').locator('xpath=ancestor::details').getByRole('button', { name: 'Hent som CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.equal(csv.trim().split('\r\n').length, funnel.length + 1, 'a CSV line per practice and a header');
  assert.match(csv, /Praksis A/);

  // 4. Practice insight: the practice against its cluster and the country.
  await page.getByTestId('tab-praksisindsigt').click();
  await page.waitForURL(/\/praksisindsigt(\?|$)/);
  await page.getByTestId('insight').and(page.locator(`[data-unit="${o.practice.name} (${provider})"]`)).waitFor();
  const practiceRows = await rowData(page, 'insight-table');
  assert.equal(practiceRows.length, 10);
  for (const row of practiceRows) {
    const m = o.measures[row.measure];
    sameComparison(row, m.practice, `practice ${row.measure}`);
    close(row.cluster, m.cluster.value, `practice page, cluster ${row.measure}`);
    close(row.national, m.country.value, `practice page, country ${row.measure}`);
    assert.equal(row.clear, String(m.practice.clear), `practice ${row.measure}: statistically clear`);
  }

  // 5. The practice's intervention area: over the years and by age.
  await page.getByTestId('tab-praksisindsigt-indsats').click();
  await page.waitForURL(/\/praksisindsigt\/indsats\?.*measure=opioid_patients/);
  const practiceOwn = await ownComparison(page);
  sameComparison(practiceOwn, opioids.practice, 'practice intervention');
  close(practiceOwn.cluster, opioids.cluster.value, 'practice intervention: cluster');
  close(practiceOwn.national, opioids.country.value, 'practice intervention: country');
  const alone = !opioids.practice.clear_alone
    ? 'none'
    : opioids.practice.value > opioids.country.value
      ? 'higher'
      : 'lower';
  assert.equal(practiceOwn.verdict, alone);
  const overYears = await rowData(page, 'insight-years-table');
  assert.deepEqual(overYears.map((r) => Number(r.key)), o.years);
  for (const row of overYears) {
    const cells = page.getByTestId('insight-years-table').locator(`tr[data-key="${row.key}"] td`);
    close(await cells.first().getAttribute('data-value'), opioids.years[row.key].practice, `practice in ${row.key}`);
    close(await cells.nth(1).getAttribute('data-low'), opioids.years[row.key].low, `95 % low in ${row.key}`);
    close(await cells.nth(1).getAttribute('data-high'), opioids.years[row.key].high, `95 % high in ${row.key}`);
  }
  const byAge = await parts(page, 'age_group');
  assert.deepEqual(byAge.map((r) => r.key), Object.keys(opioids.by_age));
  for (const row of byAge) {
    close(row.value, opioids.by_age[row.key], `practice, age group ${row.label}`);
    const [low, high] = opioids.by_age_interval[row.key] ?? [null, null];
    close(row.low, low, `practice, age group ${row.label}: 95 % low`);
    close(row.high, high, `practice, age group ${row.label}: 95 % high`);
  }
  for (const [kind, expected] of [['age_band', opioids.by_band], ['sex', opioids.by_sex]]) {
    await page.getByLabel('Opdel efter', { exact: true }).selectOption(kind);
    await page.waitForURL(new RegExp(`fordel=${kind}`));
    const rows = await parts(page, kind);
    assert.deepEqual(rows.map((r) => r.key), Object.keys(expected), `${kind}: categories`);
    for (const row of rows) {
      close(row.value, expected[row.key], `practice, ${kind} ${row.label}`);
    }
  }

  // The breakdowns: age groups above, then from the detail tile the
  // drugs, products, consumption groups, treatment, package sizes,
  // addictive and depot products, each per 1,000 listed patients.
  for (const [kind, keyOf] of Object.entries(PART_KEYS)) {
    await page.getByLabel('Opdel efter', { exact: true }).selectOption(kind);
    await page.waitForURL(new RegExp(`fordel=${kind}`));
    const shown = await parts(page, kind);
    const expected = opioids_parts(o, 'opioid_patients', kind);
    samePart(shown, expected, keyOf, `opioid patients by ${kind}`);
  }

  // Another measure: DDD, rounded per cell as the tiles are.
  const before = practiceOwn;
  await page.getByLabel('Mål', { exact: true }).selectOption('opioid_ddd');
  await page.waitForURL(/measure=opioid_ddd/);
  await page.waitForFunction(
    (x) => document.querySelector('[data-testid="own-comparison"]')?.dataset.x !== x,
    before.x,
  );
  sameComparison(await ownComparison(page), o.measures.opioid_ddd.practice, 'practice intervention, DDD');
  const lastKind = Object.keys(PART_KEYS).at(-1);
  samePart(
    await parts(page, lastKind),
    opioids_parts(o, 'opioid_ddd', lastKind),
    PART_KEYS[lastKind],
    `opioid DDD by ${lastKind}`,
  );

  // Filters: women aged 65 and over, kept in the address.
  const women = oracle(provider, year, '2', '3,4,5');
  const ddd = await ownComparison(page);
  await page.getByLabel('Kvinder', { exact: true }).check();
  await page.waitForURL(/sex=2/);
  await page.getByLabel('Alder', { exact: true }).selectOption('3,4,5');
  await page.waitForURL(/sex=2.*age_group=3,4,5|age_group=3,4,5.*sex=2/);
  sameComparison(await ownComparisonChanges(page, ddd), women.measures.opioid_ddd.practice, 'women 65+, DDD');

  // The year before, from the year filter.
  const previous = Math.min(...years);
  if (previous !== year) {
    const earlier = oracle(provider, previous, '2', '3,4,5');
    const now = await ownComparison(page);
    await page.getByLabel('År', { exact: true }).selectOption(String(previous));
    await page.waitForURL(new RegExp(`aar=${previous}`));
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="insight"]')?.dataset.year !== n,
      String(year),
    );
    sameComparison(await ownComparison(page), earlier.measures.opioid_ddd.practice, `${previous}, women 65+, DDD`);
  }

  // In English, with the same figures.
  const danish = await ownComparison(page);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Practice intervention area' }).waitFor();
  assert.deepEqual(await ownComparison(page), danish);
  // The practice is named in English too.
  assert.equal(await page.getByTestId('signed-in-as').textContent(), `Provider number ${provider}`);
  assert.match(await page.getByTestId('closed-banner').textContent(), new RegExp(`Provider number ${provider}$`));
  assert.match(await page.getByTestId('method').textContent(), /Benjamini–Hochberg/);
  await context.close();
});

test("the country breaks a practice down from its GP cluster's detail tile, never from the whole country's", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${url}/rapporter/medicin`);
  await page.getByTestId('sign-in').locator('summary').click();
  const provider = await page
    .locator('[data-testid="sign-in"] button[data-role="gp_practice"]')
    .getAttribute('data-org');
  const o = oracle(provider, 'latest');
  const cluster = o.practice.gp_cluster;
  assert.ok(cluster, 'the demo practice is in a GP cluster');
  await page.locator('[data-testid="sign-in"] button[data-role="national"]').click();
  await page.getByTestId('signed-in-as').waitFor();
  const asked = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    asked.push(decodeURIComponent(u.pathname + u.search));
  });
  await page.goto(
    `${url}/praksisindsigt/indsats?measure=opioid_patients&klynge=${cluster}&praksis=${o.practice.code}&fordel=consumption`,
  );
  samePart(
    await parts(page, 'consumption'),
    opioids_parts(o, 'opioid_patients', 'consumption'),
    PART_KEYS.consumption,
    'national: the practice\'s opioid patients by consumption',
  );
  assert.ok(
    asked.includes(`/api/manifest?scope=gp_cluster:${cluster}`),
    `the cluster's manifest was asked for: ${asked.filter((a) => a.startsWith('/api/')).join(', ')}`,
  );
  const manifest = await page.evaluate(() => fetch('/api/manifest').then((r) => r.json()));
  const national = manifest.tiles.find((t) => t.family === 'prescription_detail' && t.scope === 'national');
  assert.ok(national, "the country's own detail tile exists");
  assert.ok(!asked.includes(national.url), "the country's detail tile was not fetched");
  await context.close();
});
