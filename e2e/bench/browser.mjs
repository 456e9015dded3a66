// The portal's browser figures, measured in Debian's Chromium against a
// running server (run on demand, e.g. against `cargo xtask demo`):
//
//   TVAERS_URL=http://127.0.0.1:8080 node e2e/bench/browser.mjs [--runs N]
//
// Waits until the server has compressed its tiles and bundle (see
// `/healthz`), then prints a table: the WebAssembly bundle's bytes (raw,
// gzip, brotli; from the served page; and as the server sends it), the time to the first chart on a warm server with a
// cold browser cache, and filter-to-paint on the advanced tool's
// four-chart dashboard (a sex filter change until every chart has its new
// numbers and the next frame is painted), and filter + re-aggregate
// throughput on a 1M-cell tile: our WebAssembly (the catalogue's formula
// on a decoded cube) beside arquero and DuckDB-WASM, loaded in the same
// page from npm, on the same columns, with the results compared.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const arqueroDir = dirname(require.resolve('arquero/package.json'));
const arqueroVersion = require('arquero/package.json').version;
const modules = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
const duckdbDist = join(modules, '@duckdb', 'duckdb-wasm', 'dist');
const duckdbVersion = JSON.parse(readFileSync(join(duckdbDist, '..', 'package.json'), 'utf8')).version;
const arrowDir = join(modules, 'apache-arrow');

const url = process.env.TVAERS_URL ?? 'http://127.0.0.1:8080';
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

async function bundle() {
  const html = await (await fetch(url)).text();
  const wasm = html.match(/href="([^"]+_bg\.wasm)"/)?.[1] ?? html.match(/'([^']+_bg\.wasm)'/)?.[1];
  if (!wasm) throw new Error('no WebAssembly bundle named in the page');
  const bytes = Buffer.from(await (await fetch(new URL(wasm, url))).arrayBuffer());
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  // What the server sends a browser that accepts both.
  const sent = await fetch(new URL(wasm, url), { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const sentAs = sent.headers.get('content-encoding') ?? 'identity';
  const sentBytes = Number(sent.headers.get('content-length') ?? NaN);
  await sent.arrayBuffer();
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli.length, sentAs, sentBytes };
}

/** Milliseconds from navigation start to the overview's bar chart, each
 * run in a fresh browser context (empty cache). */
async function firstChart(browser) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('[data-testid="region-chart"] svg').waitFor();
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  return times;
}

/** Milliseconds from a filter click to the painted frame with every
 * chart of the four-chart dashboard updated. */
async function filterToPaint(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${url}/avanceret`);
  await page.getByTestId('chart-4-table').waitFor();
  await page.locator('[data-testid="chart-1"] path.area').first().waitFor();
  const times = [];
  const choices = ['#sex-female', '#sex-male', '#sex-all'];
  for (let i = 0; i < runs * 3; i += 1) {
    const id = choices[i % choices.length];
    times.push(
      await page.evaluate(
        (id) =>
          new Promise((resolve) => {
            const cells = () =>
              [1, 2, 3, 4].map((n) =>
                [...document.querySelectorAll(`[data-testid="chart-${n}"] [data-value]`)].map((e) => e.dataset.value).join(),
              );
            const before = cells();
            const started = performance.now();
            document.querySelector(id).click();
            const check = () => {
              const now = cells();
              if (now.every((c, k) => c !== before[k])) {
                // The frame after the change is the one that paints it.
                requestAnimationFrame(() => resolve(performance.now() - started));
              } else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
        id,
      ),
    );
  }
  await page.close();
  return times;
}

/** DuckDB-WASM's files, served to the page under `/__duckdb/` from
 * node_modules. Its browser module imports "apache-arrow" by name; that
 * import is pointed at a module re-exporting Arrow's browser bundle (added
 * to the page as `window.Arrow`). */
async function serveDuckdb(context) {
  const arrowNames = Object.keys(await import('apache-arrow')).filter(
    (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
  );
  const shim = arrowNames.map((name) => `export const ${name} = window.Arrow.${name};`).join('\n');
  const browserModule = readFileSync(join(duckdbDist, 'duckdb-browser.mjs'), 'utf8').replaceAll(
    'from"apache-arrow"',
    'from"/__duckdb/arrow.mjs"',
  );
  const js = 'text/javascript';
  const files = {
    'duckdb-browser.mjs': { body: browserModule, contentType: js },
    'arrow.mjs': { body: shim, contentType: js },
    'duckdb-browser-eh.worker.js': { path: join(duckdbDist, 'duckdb-browser-eh.worker.js'), contentType: js },
    'duckdb-eh.wasm': { path: join(duckdbDist, 'duckdb-eh.wasm'), contentType: 'application/wasm' },
  };
  await context.route('**/__duckdb/**', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    const file = files[name];
    return file ? route.fulfill({ status: 200, ...file }) : route.fulfill({ status: 404, body: name });
  });
}

/** Cells per second of filter (women) + group-by (region) + ratio, in our
 * WebAssembly, in arquero and in DuckDB-WASM, best of `runs`, on the same
 * 1M cells. DuckDB's time is that of `conn.query`, which includes the
 * round trip to its worker and the Arrow result. */
async function reAggregation(browser) {
  const cells = 1_000_000;
  // arquero is added as an inline script and compiles its expressions with
  // `Function`, which the portal's Content-Security-Policy forbids; the
  // peers' files are not the portal's either.
  const context = await browser.newContext({ bypassCSP: true });
  await serveDuckdb(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.wasmBindings?.benchmarkReAggregation);
  await page.addScriptTag({ path: join(arqueroDir, 'dist', 'arquero.min.js') });
  await page.addScriptTag({ path: join(arrowDir, 'Arrow.es2015.min.js') });
  const result = await page.evaluate(
    async ({ cells, runs }) => {
      const ours = window.wasmBindings.benchmarkReAggregation(cells, runs);
      const table = aq.table({ region: ours.region, sex: ours.sex, num: ours.numerator, den: ours.denominator });
      let best = Infinity;
      let peer;
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        peer = table
          .filter((d) => d.sex === 2)
          .groupby('region')
          .rollup({ num: aq.op.sum('num'), den: aq.op.sum('den') })
          .derive({ value: (d) => (d.num / d.den) * 1000 })
          .orderby('region')
          .objects();
        best = Math.min(best, performance.now() - started);
      }
      const sameAs = (rows) =>
        rows.length === ours.result.length &&
        rows.every((row, i) => row.region === ours.result[i][0] && Math.abs(row.value - ours.result[i][1]) < 1e-9 * row.value);

      const duckdb = await import('/__duckdb/duckdb-browser.mjs');
      const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker('/__duckdb/duckdb-browser-eh.worker.js'));
      await db.instantiate('/__duckdb/duckdb-eh.wasm');
      const conn = await db.connect();
      await conn.insertArrowTable(
        Arrow.tableFromArrays({
          region: Int32Array.from(ours.region),
          sex: Int32Array.from(ours.sex),
          num: Float64Array.from(ours.numerator),
          den: Float64Array.from(ours.denominator),
        }),
        { name: 'cells' },
      );
      const sql =
        'SELECT region, sum(num) / sum(den) * 1000 AS value FROM cells WHERE sex = 2 GROUP BY region ORDER BY region';
      let bestDuckdb = Infinity;
      let duckdbRows;
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        const answer = await conn.query(sql);
        bestDuckdb = Math.min(bestDuckdb, performance.now() - started);
        duckdbRows = answer.toArray().map((row) => ({ region: Number(row.region), value: Number(row.value) }));
      }
      await conn.close();
      await db.terminate();
      return {
        cells,
        ours: ours.ms,
        arquero: best,
        duckdb: bestDuckdb,
        same: sameAs(peer),
        sameDuckdb: sameAs(duckdbRows),
      };
    },
    { cells, runs: Math.max(3, runs) },
  );
  await context.close();
  return result;
}

/** Waits until the server has compressed the release's tiles and the
 * bundle: it does so in the background after it starts, on both cores, and
 * timings taken meanwhile measure that instead of the portal. */
async function quietServer() {
  for (let waited = 0; ; waited += 1) {
    const health = await (await fetch(new URL('/healthz', url))).json();
    const left = (health.tiles_compressing ?? 0) + (health.bundle_compressing ?? 0);
    if (left === 0) return;
    if (waited % 10 === 0) console.error(`waiting: the server is compressing ${left} tile(s) or bundle file(s)`);
    if (waited > 600) throw new Error('the server was still compressing tiles after 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

await quietServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
try {
  const size = await bundle();
  const first = await firstChart(browser);
  const paint = await filterToPaint(browser);
  const agg = await reAggregation(browser);
  if (!agg.same) throw new Error('our WebAssembly and arquero disagree on the group-by');
  if (!agg.sameDuckdb) throw new Error('our WebAssembly and DuckDB-WASM disagree on the group-by');
  const rate = (ms) => `${((agg.cells / ms) * 1000 / 1e6).toFixed(0)}M cells/s (${ms.toFixed(1)} ms)`;
  const rows = [
    ['WebAssembly bundle, raw', kb(size.raw), ''],
    ['WebAssembly bundle, gzip', kb(size.gzip), ''],
    ['WebAssembly bundle, brotli', kb(size.brotli), '≤ 1,536 KB'],
    [`WebAssembly bundle, as sent (${size.sentAs})`, kb(size.sentBytes), ''],
    [`time to first chart, median of ${first.length}`, fmt(quantile(first, 0.5)), ''],
    [`time to first chart, p95 of ${first.length}`, fmt(quantile(first, 0.95)), '≤ 1,000 ms'],
    [`filter to paint, 4 charts, median of ${paint.length}`, fmt(quantile(paint, 0.5)), ''],
    [`filter to paint, 4 charts, p95 of ${paint.length}`, fmt(quantile(paint, 0.95)), '≤ 100 ms'],
    ['filter + group-by, 1M cells, our WebAssembly', rate(agg.ours), '≥ 50M cells/s'],
    [`filter + group-by, 1M cells, arquero ${arqueroVersion}`, rate(agg.arquero), ''],
    [`filter + group-by, 1M cells, DuckDB-WASM ${duckdbVersion}`, rate(agg.duckdb), ''],
    ['ours ÷ arquero time (same result)', `${(agg.ours / agg.arquero).toFixed(2)}×`, '< 1'],
    ['ours ÷ DuckDB-WASM time (same result)', `${(agg.ours / agg.duckdb).toFixed(2)}×`, '< 1'],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`| ${'figure'.padEnd(width)} | value | goal |`);
  console.log(`|${'-'.repeat(width + 2)}|---:|---|`);
  for (const [name, value, goal] of rows) console.log(`| ${name.padEnd(width)} | ${value} | ${goal} |`);
} finally {
  await browser.close();
}
