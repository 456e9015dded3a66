// Closed views in headless Chromium: a demo municipality signs in, sees
// its general practices one by one and exact figures for its own
// citizens, saves a report, reloads and opens it; the same link opened
// signed out shows the public, rounded figures. Expected values come from
// the tiles read by pyarrow (tests/oracle.py, tests/closed_oracle.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const url = process.env.TVAERS_URL;
const flags = (process.env.TVAERS_CHROMIUM_FLAGS ??
  '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync')
  .split(' ')
  .filter((f) => f !== '--headless' && !f.startsWith('--user-data-dir'));

const AARHUS = 751;
const MIDTJYLLAND = 1082;

let browser;
let current;
let publicRelease;

before(async () => {
  assert.ok(url && process.env.TVAERS_DATA, 'run through `cargo xtask test`');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
  const manifest = await (await fetch(`${url}/api/manifest`)).json();
  current = manifest.release;
  publicRelease = manifest.previous;
  assert.ok(publicRelease, 'the e2e run built a public release before the exact one');
});

after(async () => {
  await browser?.close();
});

function python(args) {
  return JSON.parse(execFileSync('python', args, { encoding: 'utf8' }));
}

/** Rows of a table: key → { value, status }. */
async function rows(page, testid) {
  const locator = page.getByTestId(testid);
  await locator.waitFor();
  return Object.fromEntries(
    await locator.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = tr.querySelector('td');
        return [tr.dataset.key, { value: Number(td.dataset.value), status: td.dataset.status }];
      }),
    ),
  );
}

async function signInAsAarhus(page) {
  await page.getByTestId('sign-in').locator('summary').click();
  await page.locator(`[data-testid="sign-in"] button[data-role="municipality"][data-org="0751"]`).click();
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('signed-in-as').textContent(), 'Aarhus Kommune');
  assert.match(await page.getByTestId('session').textContent(), /demo/);
}

test('a demo municipality sees its practices and exact figures, saves a report and opens it again; signed out, the same link is public', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/lukket`);
  await page.getByTestId('closed-signed-out').waitFor();
  await signInAsAarhus(page);
  assert.match(await page.getByTestId('closed-banner').textContent(), /Aarhus Kommune/);

  // The finer split: the municipality's practices, one by one, exact.
  const table = page.getByTestId('practice-table');
  await table.waitFor();
  const shown = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.provider, [Number(tr.dataset.listed), Number(tr.dataset.contacts)]]),
  );
  const expected = python(['tests/closed_oracle.py', `municipality:0${AARHUS}`, String(AARHUS)]);
  assert.equal(await table.getAttribute('data-year'), String(expected.year));
  assert.deepEqual(Object.fromEntries(shown), expected.practices);
  assert.ok(shown.length >= 1, 'no practice in Aarhus');
  for (const [provider] of shown) {
    assert.ok(expected.register.includes(provider), `${provider} is no Aarhus practice in the provider register`);
  }

  // The public release's overview: its key figure says how it is shown.
  // Aarhus exact; its region, Aarhus's exact counts summed with its
  // neighbours' rounded ones, partly rounded.
  await page.goto(`${url}/?release=${publicRelease}&municipality=${AARHUS}`);
  const figure = page.getByTestId('key-figure');
  await figure.locator('.value[data-status="exact"]').waitFor();
  assert.match(await figure.getByTestId('protection-note').textContent(), /^præcis · du ser præcise tal for dit område/);
  await page.goto(`${url}/?release=${publicRelease}&region=${MIDTJYLLAND}`);
  await figure.locator('.value[data-status="perturbed"]').waitFor();
  assert.match(await figure.getByTestId('protection-note').textContent(), /^delvis afrundet · tallene for dit område er præcise/);

  // The public release, signed in: Aarhus is exact, its neighbours rounded.
  const view = `/avanceret?release=${publicRelease}&region=${MIDTJYLLAND}&chart=citizens.count.municipality.table`;
  await page.goto(`${url}${view}`);
  const exact = python(['tests/oracle.py', current, 'geography', 'citizens', '-', 'citizens', '1', String(MIDTJYLLAND)]);
  const rounded = python(['tests/oracle.py', publicRelease, 'geography', 'citizens', '-', 'citizens', '1', String(MIDTJYLLAND)]);
  const closed = await rows(page, 'chart-1-table');
  assert.deepEqual(closed[AARHUS], { value: exact.rows[AARHUS].value, status: 'exact' });
  const others = Object.keys(rounded.rows).filter((m) => Number(m) !== AARHUS);
  assert.ok(others.length > 5);
  for (const m of others) {
    assert.deepEqual(closed[m], { value: rounded.rows[m].value, status: 'perturbed' }, `municipality ${m}`);
  }
  assert.notEqual(exact.rows[AARHUS].value % 5, 0, 'the test needs an Aarhus count that rounding would change');

  // Restricted to married citizens, the page reads the public part of the
  // civil-status tile for that value, and lays Aarhus's closed rows of it
  // over (the closed tile is whole, every civil status).
  const tiles = [];
  page.on('request', (r) => r.url().includes('/api/tiles/') && tiles.push(new URL(r.url()).pathname));
  await page.goto(`${url}${view}&civil_status=2`);
  const married = (release) =>
    python(['tests/oracle.py', release, 'geography.civil_status=2', 'citizens', '-', 'citizens', '1', String(MIDTJYLLAND)]);
  const [exactMarried, roundedMarried] = [married(current), married(publicRelease)];
  const closedMarried = await rows(page, 'chart-1-table');
  assert.ok(exactMarried.rows[AARHUS].value < exact.rows[AARHUS].value, 'married citizens are fewer');
  assert.deepEqual(closedMarried[AARHUS], { value: exactMarried.rows[AARHUS].value, status: 'exact' });
  const perturbed = others.filter((m) => roundedMarried.rows[m]?.status === 'perturbed');
  assert.ok(perturbed.length > 5, 'rounded neighbours to compare');
  for (const m of perturbed) {
    assert.deepEqual(closedMarried[m], roundedMarried.rows[m], `municipality ${m}, married`);
  }
  const manifest = await (await fetch(`${url}/api/releases/${publicRelease}`)).json();
  const whole = manifest.tiles.find((t) => t.family === 'geography.civil_status');
  const part = manifest.tiles.find((t) => t.family === 'geography.civil_status=2');
  assert.ok(tiles.includes(part.url), 'the part of married citizens is fetched');
  assert.ok(!tiles.includes(whole.url), 'the whole civil-status tile is not');
  page.removeAllListeners('request');
  await page.goto(`${url}${view}`);
  await rows(page, 'chart-1-table');

  // Save it, reload, open it from the closed view.
  const name = `Borgere i Midtjylland ${Date.now()}`;
  const form = page.getByTestId('save-report');
  // A name of spaces only is asked for again, in Danish, before the server.
  await form.locator('input[name="name"]').fill('   ');
  await form.locator('button[type="submit"]').click();
  assert.equal(await form.getByRole('alert').textContent(), 'Giv rapporten et navn.');
  await form.locator('input[name="name"]').fill(name);
  await form.locator('textarea[name="description"]').fill('Aarhus præcist, resten afrundet');
  await form.locator('button[type="submit"]').click();
  await page.getByTestId('report-saved').waitFor();
  await page.goto(`${url}/lukket`);
  await page.reload();
  // The practice table above the reports arrives on its own; once it is
  // drawn, the reports stay where they are.
  await page.getByTestId('practice-table').waitFor();
  const saved = page.getByTestId('saved-reports');
  await saved.getByRole('link', { name }).waitFor();
  // Renamed, it keeps its view.
  const renamed = `${name} (omdøbt)`;
  await saved.getByRole('button', { name: 'Omdøb' }).first().click();
  await saved.locator('input[name="rename"]').fill(renamed);
  await saved.locator('form.rename button[type="submit"]').click();
  const link = saved.getByRole('link', { name: renamed });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), view);
  await link.click();
  await page.waitForURL(`${url}${view}`);
  const reopened = await rows(page, 'chart-1-table');
  assert.deepEqual(reopened[AARHUS], { value: exact.rows[AARHUS].value, status: 'exact' });
  await context.close();

  // The same link, signed out: the public, protected numbers.
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(`${url}${view}`);
  const open = await rows(visitor, 'chart-1-table');
  assert.deepEqual(open[AARHUS], { value: rounded.rows[AARHUS].value, status: 'perturbed' });
  assert.equal(await visitor.getByTestId('closed-banner').count(), 0);
  await visitor.goto(`${url}/lukket`);
  await visitor.getByTestId('closed-signed-out').waitFor();
  assert.equal(await visitor.getByTestId('practice-table').count(), 0);
  await anonymous.close();
});

test('signing out removes the session cookie and the closed figures', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await signInAsAarhus(page);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'tvaers_session');
  assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('tvaers_session')), false);
  await page.getByTestId('session').getByRole('button').click();
  await page.getByTestId('sign-in').waitFor();
  assert.equal((await context.cookies()).some((c) => c.name === 'tvaers_session' && c.value), false);
  assert.equal(await page.getByTestId('closed-banner').count(), 0);
  await context.close();
});
