// Expected figures computed straight from the generated CSV extracts and
// the geography CSV, with no code of the project: the oracle of the
// browser tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of one CSV line (RFC 4180 quoting). */
function fields(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function rows(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const names = fields(header);
  return lines.map((line) => {
    const values = fields(line);
    return Object.fromEntries(names.map((n, i) => [n, values[i]]));
  });
}

/**
 * Citizens of `year` by CPR number: a person whose number is not
 * cancelled, deleted or changed (status 30, 50, 60) and who has a period
 * of residence overlapping the year, placed in the municipality of the
 * last such period, with their sex.
 */
export function citizens(extracts, year) {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const found = new Map();
  for (const r of rows(join(extracts, 'cpr.csv'))) {
    if (['30', '50', '60'].includes(r.status)) continue;
    if (r.valid_from > last || (r.valid_to && r.valid_to <= first)) continue;
    if (Number(r.birth_date.slice(0, 4)) > year) continue;
    const before = found.get(r.cpr);
    if (!before || before.valid_from < r.valid_from) found.set(r.cpr, r);
  }
  return found;
}

/** The latest year with a contact with general practice. */
export function latestYear(extracts) {
  const gp = generalPractices(extracts);
  let year = 0;
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (gp.has(c.provider_number)) year = Math.max(year, Number(c.contact_date.slice(0, 4)));
  }
  return year;
}

function generalPractices(extracts) {
  return new Set(
    rows(join(extracts, 'ydr.csv'))
      .filter((p) => p.provider_type === 'general_practice')
      .map((p) => p.provider_number),
  );
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
 * GP contacts per 1,000 citizens in `year` (the latest by default),
 * nationally, per region and per municipality, for all persons or one sex
 * ('M' / 'K'), and only citizens whose placing CPR row passes `keep` (all
 * by default).
 */
export function gpContactsPer1000(extracts, geographyCsv, sex = null, keep = () => true, year = latestYear(extracts)) {
  const regionOf = regions(geographyCsv);
  const persons = citizens(extracts, year);
  const gp = generalPractices(extracts);
  const counted = new Map();
  const contacts = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const [cpr, p] of persons) {
    if (!keep(p)) persons.delete(cpr);
  }
  for (const p of persons.values()) {
    if (sex && p.sex !== sex) continue;
    add(counted, 'all');
    add(counted, regionOf.get(Number(p.municipality)));
    add(counted, `m${Number(p.municipality)}`);
  }
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (!gp.has(c.provider_number) || Number(c.contact_date.slice(0, 4)) !== year) continue;
    const p = persons.get(c.cpr);
    if (!p || (sex && p.sex !== sex)) continue;
    add(contacts, 'all');
    add(contacts, regionOf.get(Number(p.municipality)));
    add(contacts, `m${Number(p.municipality)}`);
  }
  // No citizens: no value (the page shows a dash).
  const rate = (key) => (counted.get(key) ? ((contacts.get(key) ?? 0) / counted.get(key)) * 1000 : null);
  const byRegion = {};
  for (const region of [1081, 1082, 1083, 1084, 1085]) byRegion[region] = rate(region);
  const byMunicipality = {};
  for (const municipality of regionOf.keys()) byMunicipality[municipality] = rate(`m${municipality}`);
  return { year, national: rate('all'), byRegion, byMunicipality };
}

/**
 * GP contacts per 1,000 citizens in one period of `year` (the latest by
 * default) — `months` months from month `firstMonth` (1-12): a quarter is
 * 3 months from 3q - 2, a month 1 from itself —, nationally and per
 * region: the contacts dated in the period of the year's citizens (at
 * their place of the year), per citizen of the year who lived here in the
 * period (a counted CPR row overlapping it).
 */
export function gpContactsPer1000InPeriod(extracts, geographyCsv, firstMonth, months, year = latestYear(extracts)) {
  const regionOf = regions(geographyCsv);
  const persons = citizens(extracts, year);
  const month = (m) => String(m).padStart(2, '0');
  const first = `${year}-${month(firstMonth)}-01`;
  const end = firstMonth + months;
  const next = end > 12 ? `${year + 1}-${month(end - 12)}-01` : `${year}-${month(end)}-01`;
  const lived = new Set();
  for (const r of rows(join(extracts, 'cpr.csv'))) {
    if (['30', '50', '60'].includes(r.status) || !persons.has(r.cpr)) continue;
    if (r.valid_from < next && (!r.valid_to || r.valid_to > first)) lived.add(r.cpr);
  }
  const gp = generalPractices(extracts);
  const counted = new Map();
  const contacts = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const cpr of lived) {
    const municipality = Number(persons.get(cpr).municipality);
    add(counted, 'all');
    add(counted, regionOf.get(municipality));
    add(counted, `m${municipality}`);
  }
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (!gp.has(c.provider_number) || c.contact_date < first || c.contact_date >= next) continue;
    const p = persons.get(c.cpr);
    if (!p) continue;
    add(contacts, 'all');
    add(contacts, regionOf.get(Number(p.municipality)));
    add(contacts, `m${Number(p.municipality)}`);
  }
  const rate = (key) => (counted.get(key) ? ((contacts.get(key) ?? 0) / counted.get(key)) * 1000 : null);
  const byRegion = {};
  for (const region of [1081, 1082, 1083, 1084, 1085]) byRegion[region] = rate(region);
  const byMunicipality = {};
  for (const municipality of regionOf.keys()) byMunicipality[municipality] = rate(`m${municipality}`);
  return { year, national: rate('all'), byRegion, byMunicipality, citizens: counted.get('all') ?? 0, yearCitizens: persons.size };
}

/** GP contacts in `year` (the latest by default) of the year's citizens,
 * counted per region of their municipality and sex: { region: { M, K } }. */
export function gpContactCountsBySex(extracts, geographyCsv, year = latestYear(extracts)) {
  const regionOf = regions(geographyCsv);
  const persons = citizens(extracts, year);
  const gp = generalPractices(extracts);
  const counts = {};
  for (const region of [1081, 1082, 1083, 1084, 1085]) counts[region] = { M: 0, K: 0 };
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (!gp.has(c.provider_number) || Number(c.contact_date.slice(0, 4)) !== year) continue;
    const p = persons.get(c.cpr);
    if (p) counts[regionOf.get(Number(p.municipality))][p.sex] += 1;
  }
  return counts;
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

/**
 * Hospital contacts (LPR contacts starting in `year`) of the year's
 * citizens: the national count and the number of citizens.
 */
export function hospitalContacts(extracts, year) {
  const persons = citizens(extracts, year);
  let contacts = 0;
  for (const c of rows(join(extracts, 'lpr.csv'))) {
    if (Number(c.start_time.slice(0, 4)) === year && persons.has(c.cpr)) contacts += 1;
  }
  return { contacts, citizens: persons.size };
}

/**
 * The GP cluster of each person in `year`: that of the practice of their
 * latest listing overlapping the year (0 when the provider register gives
 * the practice none). Persons listed nowhere in the year are missing.
 */
export function gpClusters(extracts, year) {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const clusterOf = new Map(rows(join(extracts, 'ydr.csv')).map((p) => [p.provider_number, Number(p.gp_cluster || 0)]));
  const latest = new Map();
  for (const l of rows(join(extracts, 'patient_list.csv'))) {
    if (l.valid_from > last || (l.valid_to && l.valid_to <= first)) continue;
    const before = latest.get(l.cpr);
    if (!before || before.valid_from < l.valid_from) latest.set(l.cpr, l);
  }
  return new Map([...latest].map(([cpr, l]) => [cpr, clusterOf.get(l.provider_number) ?? 0]));
}

/** The years with a contact with general practice, oldest first. */
export function contactYears(extracts) {
  const gp = generalPractices(extracts);
  const years = new Set();
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (gp.has(c.provider_number)) years.add(Number(c.contact_date.slice(0, 4)));
  }
  return [...years].sort();
}

/**
 * The citizens of `year` by the sectors that reached them in the year:
 * general practice (a contact with a general practice), hospital (a
 * contact starting in the year) and municipality (a month of care).
 * `combinations` counts each of the eight combinations, keyed by the
 * sectors joined with '+' ('' for none); `several` those of two or more.
 */
export function sectorCombinations(extracts, year) {
  const persons = citizens(extracts, year);
  const gp = generalPractices(extracts);
  const reached = { gp: new Set(), hospital: new Set(), care: new Set() };
  for (const c of rows(join(extracts, 'ssr.csv'))) {
    if (Number(c.contact_date.slice(0, 4)) === year && gp.has(c.provider_number)) reached.gp.add(c.cpr);
  }
  for (const c of rows(join(extracts, 'lpr.csv'))) {
    if (Number(c.start_time.slice(0, 4)) === year) reached.hospital.add(c.cpr);
  }
  for (const c of rows(join(extracts, 'eoj.csv'))) {
    if (Number(c.month.slice(0, 4)) === year) reached.care.add(c.cpr);
  }
  const combinations = {};
  let several = 0;
  for (const cpr of persons.keys()) {
    const sectors = ['gp', 'hospital', 'care'].filter((s) => reached[s].has(cpr));
    const key = sectors.join('+');
    combinations[key] = (combinations[key] ?? 0) + 1;
    if (sectors.length >= 2) several += 1;
  }
  return { citizens: persons.size, combinations, several };
}

/**
 * Hospital contacts starting in `year` of the year's citizens, by the
 * ICD-10 chapter of their action diagnosis: WHO's chapters numbered 1-22
 * in order, by the ranges of the categories (a letter and two digits)
 * they hold; 23 for a category in none. An SKS diagnosis code is "D"
 * followed by the ICD-10 code.
 */
export function hospitalContactsByChapter(extracts, year) {
  const chapters = [
    ['A00', 'B99'], ['C00', 'D48'], ['D50', 'D89'], ['E00', 'E90'], ['F00', 'F99'], ['G00', 'G99'],
    ['H00', 'H59'], ['H60', 'H95'], ['I00', 'I99'], ['J00', 'J99'], ['K00', 'K93'], ['L00', 'L99'],
    ['M00', 'M99'], ['N00', 'N99'], ['O00', 'O99'], ['P00', 'P96'], ['Q00', 'Q99'], ['R00', 'R99'],
    ['S00', 'T98'], ['V01', 'Y98'], ['Z00', 'Z99'], ['U00', 'U99'],
  ];
  const persons = citizens(extracts, year);
  const counts = {};
  for (const c of rows(join(extracts, 'lpr.csv'))) {
    if (Number(c.start_time.slice(0, 4)) !== year || !persons.has(c.cpr)) continue;
    const category = c.action_diagnosis.slice(1, 4);
    const found = chapters.findIndex(([first, last]) => first <= category && category <= last);
    const code = found < 0 ? chapters.length + 1 : found + 1;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/**
 * Hospital contacts starting in `year` of the year's citizens, by
 * hospital: the SOR health institution of the contact's unit, numbered
 * 1, 2, ... in the order of the institutions' SOR ids as numbers, and 1000
 * for Region Sjælland's institutions taken together. Also their names by
 * number.
 */
export function hospitalContactsByHospital(extracts, year) {
  const sor = rows(join(extracts, 'sor.csv'));
  const institutions = sor.filter((r) => r.level === 'institution').sort((a, b) => (BigInt(a.sor_id) < BigInt(b.sor_id) ? -1 : 1));
  const number = new Map(institutions.map((r, i) => [r.sor_id, i + 1]));
  const names = Object.fromEntries(institutions.map((r, i) => [i + 1, r.name]));
  const region = new Map(institutions.map((r) => [r.sor_id, r.region]));
  const institutionOf = new Map(sor.map((r) => [r.sor_id, r.institution_id]));
  const persons = citizens(extracts, year);
  const counts = {};
  for (const c of rows(join(extracts, 'lpr.csv'))) {
    if (Number(c.start_time.slice(0, 4)) !== year || !persons.has(c.cpr)) continue;
    const institution = institutionOf.get(c.sor_unit);
    const code = number.get(institution);
    counts[code] = (counts[code] ?? 0) + 1;
    if (region.get(institution) === '1085') counts[1000] = (counts[1000] ?? 0) + 1;
  }
  const regions = Object.fromEntries(institutions.map((r, i) => [i + 1, Number(r.region)]));
  regions[1000] = 1085;
  const municipalities = Object.fromEntries(
    institutions.filter((r) => r.municipality).map((r) => [number.get(r.sor_id), Number(r.municipality)]),
  );
  return { counts, names, regions, municipalities };
}

/** Health cluster id by municipality code: 1, 2, … in the order the
 * geography CSV first names each cluster (municipality rows only). */
export function healthClusters(geographyCsv) {
  const ids = new Map();
  const of = new Map();
  for (const r of rows(geographyCsv)) {
    if (r.er_kommune !== 'ja') continue;
    if (!ids.has(r.sundhedsklynge)) ids.set(r.sundhedsklynge, ids.size + 1);
    of.set(Number(r.komkode), ids.get(r.sundhedsklynge));
  }
  return of;
}
