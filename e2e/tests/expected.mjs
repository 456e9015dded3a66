// Expected figures computed straight from the generated CSV extracts and
// the geography CSV, with no code of the project: the oracle of the
// browser tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function rows(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const names = header.split(',');
  return lines.map((line) => {
    const fields = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, fields[i]]));
  });
}

/** Region code by three-digit municipality code (municipalities only). */
export function regions(geographyCsv) {
  const map = new Map();
  for (const line of readFileSync(geographyCsv, 'utf8').split('\n').slice(1)) {
    const [code, , , region] = line.split(',');
    if (code && region && line.includes(',ja,')) map.set(Number(code), Number(region));
  }
  return map;
}

/**
 * GP contacts per 1,000 citizens, nationally and per region, for all
 * persons or one sex ('M' / 'K').
 */
export function gpContactsPer1000(extracts, geographyCsv, sex = null) {
  const regionOf = regions(geographyCsv);
  const persons = new Map();
  for (const p of rows(join(extracts, 'cpr.csv'))) persons.set(p.cpr, p);
  const citizens = new Map();
  const contacts = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const p of persons.values()) {
    if (sex && p.sex !== sex) continue;
    add(citizens, 'all');
    add(citizens, regionOf.get(Number(p.municipality)));
    add(citizens, `m${Number(p.municipality)}`);
  }
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    const p = persons.get(c.cpr);
    if (!p || (sex && p.sex !== sex)) continue;
    add(contacts, 'all');
    add(contacts, regionOf.get(Number(p.municipality)));
    add(contacts, `m${Number(p.municipality)}`);
  }
  // No citizens: no value (the page shows a dash).
  const rate = (key) => (citizens.get(key) ? ((contacts.get(key) ?? 0) / citizens.get(key)) * 1000 : null);
  const byRegion = {};
  for (const region of [1081, 1082, 1083, 1084, 1085]) byRegion[region] = rate(region);
  const byMunicipality = {};
  for (const municipality of regionOf.keys()) byMunicipality[municipality] = rate(`m${municipality}`);
  return { national: rate('all'), byRegion, byMunicipality };
}

/** Number text in the page's language ("7.486,0" in Danish, "7,486.0" in English) → number. */
export function parseNumber(text, lang = 'da') {
  const [group, decimal] = lang === 'da' ? ['.', ','] : [',', '.'];
  const esc = (c) => `\\${c}`;
  const pattern = new RegExp(`^-?\\d{1,3}(${esc(group)}\\d{3})*(${esc(decimal)}\\d+)?$`);
  if (!pattern.test(text.trim())) {
    throw new Error(`not a number formatted for ${lang}: ${JSON.stringify(text)}`);
  }
  return Number(text.trim().replaceAll(group, '').replace(decimal, '.'));
}
