// The public (protected) release in headless Chromium: every figure is
// the one the tiles give (computed by tests/oracle.py with pyarrow, not
// by the portal's code), marked as rounded, and a value resting on fewer
// than 5 persons says "beskyttet" instead of showing a number.
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

let browser;
let release;

before(async () => {
  assert.ok(url && process.env.TVAERS_GEOGRAPHY, 'run through `cargo xtask test`');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
  // The e2e run serves exact tiles first; the public release is the one before.
  release = (await (await fetch(`${url}/api/manifest`)).json()).previous;
  assert.ok(release, 'the e2e run built a public release before the exact one');
});

after(async () => {
  await browser?.close();
});

/** What the page should show, from the tiles read by pyarrow. */
function oracle(family, numerator, denominator, behind, factor, region, sex, by) {
  const args = ['tests/oracle.py', release, family, numerator, denominator, behind, String(factor)];
  if (region) args.push(String(region));
  if (sex) args.push('--sex', String(sex));
  if (by) args.push('--by', by);
  return JSON.parse(execFileSync('python', args, { encoding: 'utf8' }));
}

function assertClose(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

/** Rows of the breakdown table: key → { value, status, text }. */
async function table(page) {
  const rows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = tr.querySelector('td');
      return [tr.dataset.key, { value: td.dataset.value, status: td.dataset.status, text: td.textContent.trim() }];
    }),
  );
  return Object.fromEntries(rows);
}

test('the public release shows rounded figures, marked as such, equal to the tiles', async () => {
  const expected = oracle('geography', 'gp_contacts', 'citizens', 'gp_patients', 1000);
  assert.equal(expected.total.status, 'perturbed');
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${url}/?release=${release}`);
  const figure = page.getByTestId('key-figure');
  await figure.locator('.value').waitFor();
  assert.equal(await figure.locator('.value').getAttribute('data-status'), 'perturbed');
  assertClose(Number(await figure.locator('.value').getAttribute('data-value')), expected.total.value, 'key figure');
  assert.match(await figure.getByTestId('protection-note').textContent(), /afrundet/);

  const rows = await table(page);
  assert.deepEqual(Object.keys(rows).sort(), Object.keys(expected.rows).sort());
  for (const [key, want] of Object.entries(expected.rows)) {
    assert.equal(rows[key].status, want.status, `region ${key}`);
    assertClose(Number(rows[key].value), want.value, `region ${key}`);
  }
  assert.match(await page.getByTestId('protection-note').last().textContent(), /multipla af 5/);

  // A filter change re-aggregates the same tile: women only.
  const women = oracle('geography', 'gp_contacts', 'citizens', 'gp_patients', 1000, null, 2);
  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/sex=2/);
  await page.waitForFunction(
    (v) => Math.abs(Number(document.querySelector('[data-testid="key-figure"] .value')?.dataset.value) - v) < 1e-6,
    women.total.value,
  );
  const womenRows = await table(page);
  for (const [key, want] of Object.entries(women.rows)) {
    assert.equal(womenRows[key].status, want.status, `women, region ${key}`);
    assertClose(Number(womenRows[key].value), want.value, `women, region ${key}`);
  }
  assertClose(
    Number(await page.getByTestId('region-chart').getByTestId('reference').getAttribute('data-value')),
    women.total.value,
    "the chart's line: the whole country's women",
  );

  // The CSV export says which values are rounded.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Hent som CSV' }).click(),
  ]);
  const lines = readFileSync(await download.path(), 'utf8').slice(1).trimEnd().split('\r\n');
  assert.match(lines[0], /;Status$/);
  assert.equal(lines.length, 6);
  for (const line of lines.slice(1)) assert.match(line, /;afrundet$/);
  await page.close();
});

/** Rows of a chart's table twin: key → { value, status } (value null when none is shown). */
async function chartTable(page, n) {
  const rows = await page.locator(`[data-testid="chart-${n}-table"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => {
      const td = tr.querySelector('td');
      return [tr.dataset.key, { value: td.dataset.value === '' ? null : Number(td.dataset.value), status: td.dataset.status }];
    }),
  );
  return Object.fromEntries(rows);
}

test('in the advanced tool a filter change redraws all four charts with the numbers of the tiles', async () => {
  // The default report: GP contacts per 1,000 by municipality (map) and by
  // age group; admissions per 1,000 by region and by sex (table).
  const women = [
    oracle('geography', 'gp_contacts', 'citizens', 'gp_patients', 1000, null, 2, 'municipality'),
    oracle('geography', 'gp_contacts', 'citizens', 'gp_patients', 1000, null, 2, 'age_group'),
    oracle('hospital', 'admissions', 'citizens', 'hospital_patients', 1000, null, 2),
    oracle('hospital', 'admissions', 'citizens', 'hospital_patients', 1000, null, 2, 'sex'),
  ];
  assert.equal(Object.keys(women[0].rows).length, 98, 'every municipality has women');
  assert.equal(Object.keys(women[1].rows).length, 5, 'every age group');
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/avanceret?release=${release}`);
  await page.getByTestId('chart-4-table').waitFor({ state: 'attached' });
  const before = await chartTable(page, 3);
  await page.getByLabel('Kvinder').check();
  await page.waitForURL(/sex=2/);
  // Every chart shows the women's numbers once it has redrawn.
  for (const [i, expected] of women.entries()) {
    const n = i + 1;
    const [key, want] = Object.entries(expected.rows).find(([, w]) => w.value !== null);
    await page.waitForFunction(
      ([n, key, v]) => {
        const row = document.querySelector(`[data-testid="chart-${n}-table"] tbody tr[data-key="${key}"] td`);
        return row && Math.abs(Number(row.dataset.value) - v) < 1e-6;
      },
      [n, key, want.value],
    );
    const rows = await chartTable(page, n);
    for (const [key, want] of Object.entries(expected.rows)) {
      assert.equal(rows[key]?.status, want.status, `chart ${n}, ${key}`);
      if (want.value === null) assert.equal(rows[key].value, null, `chart ${n}, ${key} is protected`);
      else assertClose(rows[key].value, want.value, `chart ${n}, ${key}`);
    }
  }
  const after = await chartTable(page, 3);
  assert.ok(Object.keys(after).some((k) => after[k].value !== before[k].value), 'the filter changed the numbers');
  await page.close();
});

test('a value resting on fewer than 5 persons is shown as protected, never as a number', async () => {
  // Planned admissions in the capital region's municipalities: some have
  // none published (0 may hide 1-4), others have some.
  const expected = oracle('hospital', 'admissions_planned', '-', 'hospital_patients', 1, 1084);
  const statuses = Object.values(expected.rows).map((r) => r.status);
  assert.ok(statuses.includes('suppressed') && statuses.includes('perturbed'), `the data has both: ${statuses}`);

  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${url}/?release=${release}&region=1084&measure=admissions_planned&scale=count`);
  await page.getByTestId('breakdown-table').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="breakdown-table"] tbody tr').length > 20);
  const rows = await table(page);
  for (const [key, want] of Object.entries(expected.rows)) {
    assert.equal(rows[key]?.status, want.status, `municipality ${key}`);
    if (want.status === 'suppressed') {
      assert.equal(rows[key].text, 'beskyttet', `municipality ${key}`);
      assert.equal(rows[key].value, '', `municipality ${key} carries no number`);
    } else {
      assertClose(Number(rows[key].value), want.value, `municipality ${key}`);
    }
  }
  // The chart draws no bar for a protected value but names it, and says
  // its figures are rounded.
  const chart = page.getByTestId('region-chart');
  const protectedCount = statuses.filter((s) => s === 'suppressed').length;
  assert.equal((await chart.locator('svg text', { hasText: 'beskyttet' }).count()), protectedCount);
  assert.match(await chart.getByTestId('protection-note').textContent(), /multipla af 5/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Hent som CSV' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /;;beskyttet\r\n/, 'a protected value is empty in the CSV, with its status');
  await page.close();
});

test('"Om data" explains the method and shows its perturbation table', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/om-data`);
  const section = page.getByTestId('disclosure-method');
  await section.waitFor();
  assert.match(await section.textContent(), /cellenøglemetoden/);
  const cells = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))),
  );
  assert.equal(cells.length, 5);
  // Each row is unbiased: its adjustments add up to 0, and leave a multiple of 5.
  cells.forEach((row, remainder) => {
    assert.equal(row.reduce((a, b) => a + b, 0), 0, `row ${remainder}`);
    for (const a of row) assert.equal((remainder + a + 5) % 5, 0, `row ${remainder}`);
  });
  await page.close();
});
