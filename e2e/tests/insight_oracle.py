"""What the cluster insight pages should show for one general practice,
computed from the generated extracts with DuckDB (the prescription cells
of `test_fidelity.py`, SQL written from the definitions) and SciPy (the
statistics of `funnel_reference.py`), never with code of the project.

    python tests/insight_oracle.py PROVIDER_NUMBER YEAR SEX AGE_GROUPS

YEAR is a year or "latest"; SEX is 1, 2 or "all"; AGE_GROUPS is "all" or codes 1-5 joined by commas
("3,4,5" is 65+). Prints JSON: the practice, its GP cluster's other
practices, and for every measure the practice's, the cluster's and the
country's counts (x of n, per 1,000), their exact 95 % intervals and
p-values against the country, the Benjamini-Hochberg decisions over the
ten measures of a page and over the cluster's practices of a funnel, and
the values over the years.

A value is summed over the tile's cells (year x practice x age band x
sex) as the portal sums them: DDD are rounded to whole DDD per cell, the
country's per cell of its own (the country is one more practice in the
closed tiles)."""

import json
import os
import sys
from collections import defaultdict

import duckdb
from scipy import stats

import test_fidelity as fidelity
from funnel_reference import interval, p_value

COUNTRY = fidelity.ALL_PRACTICES
# The measures of the insight table: (key, numerator column, model).
MEASURES = [
    (f"{g}_{k}", f"{g}_{k}", "binomial" if k == "patients" else "poisson")
    for g in fidelity.DRUG_GROUPS
    for k in ("patients", "ddd")
]
FDR = 0.05


# The drug groups whose medicines are addictive (the seed: opioids,
# benzodiazepines and Z-drugs, central stimulants).
ADDICTIVE = {"opioid", "sedative", "stimulant"}


def breakdowns(con, extracts, practice, group, year, sex, bands):
    """The detail breakdowns of one practice and drug group in a year:
    {kind: {key: (patients, DDD)}}. A patient-year in the group has a
    consumption group by its DDD in the group (1: under 90, 2: 90-365, 3:
    over 365) and a treatment (2: the person redeemed in the group the
    year before, listed or not; 3: that year is before the register's
    first redemption of a group; else 1). Patients count once per key;
    DDD are summed in thousandths per cell (the key with the patient's
    consumption, treatment, age band and sex), rounded, then summed."""
    lsr = fidelity._csv(extracts, "lsr.csv")
    redeemed = con.execute(f"""
        SELECT cpr, year(CAST(redemption_date AS DATE)) AS year, atc, product,
               CAST(package_size AS INTEGER) AS size,
               CAST(round(CAST(ddd AS DOUBLE) * 1000) AS BIGINT) AS milli,
               depot = '1' AS depot,
               {fidelity.DRUG_GROUP_SQL} AS grp
        FROM {lsr}
    """).fetchall()
    redeemed = [r for r in redeemed if r[7] is not None]
    first_year = min(r[1] for r in redeemed)
    any_year = {(r[0], r[1], r[7]) for r in redeemed}
    placed = {
        (cpr, y): (p, band, s)
        for cpr, y, p, band, s in con.execute(
            "SELECT cpr, year, practice, age_band, sex FROM citizen WHERE practice IS NOT NULL"
        ).fetchall()
    }
    per_patient = defaultdict(list)
    for cpr, y, atc, product, size, milli, depot, grp in redeemed:
        at = placed.get((cpr, y))
        if grp != group or y != year or at is None or at[0] != practice:
            continue
        _, band, s = at
        if (sex is not None and s != sex) or (bands is not None and band not in bands):
            continue
        per_patient[(cpr, band, s)].append((atc, product, size, milli, depot))
    patients = defaultdict(lambda: defaultdict(set))
    milli_cells = defaultdict(lambda: defaultdict(int))
    for (cpr, band, s), items in per_patient.items():
        total = sum(i[3] for i in items) / 1000
        consumption = 1 if total < 90 else 2 if total <= 365 else 3
        if (cpr, year - 1, group) in any_year:
            treatment = 2
        elif year - 1 < first_year:
            treatment = 3
        else:
            treatment = 1
        cell = (consumption, treatment, band, s)
        for atc, product, size, milli, depot in items:
            keys = [
                ("drug", atc),
                ("product", product),
                ("consumption", consumption),
                ("treatment", treatment),
                ("package_size", size),
                ("addictive", group in ADDICTIVE),
                ("depot", bool(depot)),
            ]
            for kind, key in keys:
                patients[kind][key].add(cpr)
                # A size's DDD in the cell of its medicine "every size" is
                # not the same row as the size's own.
                milli_cells[kind][(key, cell, size if kind == "package_size" else None)] += milli
    out = {}
    for kind, by_key in patients.items():
        ddd = defaultdict(int)
        for (key, _, _), milli in milli_cells[kind].items():
            ddd[key] += (milli + 500) // 1000
        out[kind] = {str(key): (len(cprs), ddd[key]) for key, cprs in by_key.items()}
    return out


def cells(extracts):
    """{(year, practice, age_band, sex): {column: value}} of the practices
    and of the country (practice COUNTRY), the practice table, the years,
    and the connection with the extracts' tables."""
    con = duckdb.connect(":memory:")
    years = fidelity.event_years(con, extracts)
    fidelity._create_tables(con, extracts, years)
    columns = fidelity.FAMILIES["prescriptions"]
    out = {}
    for sql in (fidelity._prescriptions_sql(), fidelity._prescriptions_by_sql(COUNTRY)):
        for row in con.execute(sql).fetchall():
            out[tuple(int(v) for v in row[:4])] = dict(zip(columns, (int(v) for v in row[4:])))
    practices = {
        r[1]: {"code": r[0], "name": r[2], "gp_cluster": r[3]}
        for r in con.execute("SELECT code, provider_number, name, gp_cluster FROM practice").fetchall()
    }
    return out, practices, years, con


def in_filter(key, year, sex, bands):
    y, _, band, s = key
    return (year is None or y == year) and (sex is None or s == sex) and (bands is None or band in bands)


def counts(table, codes, column, year, sex, bands):
    x = n = 0
    for key, values in table.items():
        if key[1] in codes and in_filter(key, year, sex, bands):
            x += values[column]
            n += values["listed_patients"]
    return x, n


def compare(model, x, n, theta):
    if n == 0:
        return {"x": x, "n": n, "value": None, "low": None, "high": None, "p": None}
    low, high = interval(model, x, n, 0.95)
    return {
        "x": x,
        "n": n,
        "value": x / n * 1000,
        "low": low * 1000,
        "high": high * 1000,
        "p": None if theta is None else p_value(model, x, n, theta),
    }


def clear(comparisons):
    """Benjamini-Hochberg at FDR over the comparisons with a p-value."""
    ps = [c["p"] for c in comparisons if c["p"] is not None]
    if not ps:
        return [False for _ in comparisons]
    adjusted = iter(stats.false_discovery_control(ps, method="bh"))
    return [bool(next(adjusted) <= FDR) if c["p"] is not None else False for c in comparisons]


def main(provider, year, sex, ages):
    extracts = os.environ["TVAERS_EXTRACTS"]
    table, practices, years, con = cells(extracts)
    year = max(years) if year == "latest" else int(year)
    sex = None if sex == "all" else int(sex)
    bands = None
    if ages != "all":
        groups = [fidelity.AGE_GROUPS[int(code) - 1] for code in ages.split(",")]
        bands = {b for _, first, last in groups for b in range(first, last + 1)}
    own = practices[provider]
    cluster = sorted(
        p["code"] for p in practices.values() if own["gp_cluster"] and p["gp_cluster"] == own["gp_cluster"]
    ) or [own["code"]]
    others = {number: p["name"] for number, p in practices.items() if p["code"] in cluster and number != provider}
    measures = {}
    for key, column, model in MEASURES:
        cx, cn = counts(table, {COUNTRY}, column, year, sex, bands)
        theta = cx / cn if cn else None
        practice = compare(model, *counts(table, {own["code"]}, column, year, sex, bands), theta)
        whole = compare(model, *counts(table, set(cluster), column, year, sex, bands), theta)
        # The funnel: the cluster's practices with listed patients in the
        # cells (nothing to compare without).
        funnel = [compare(model, *counts(table, {c}, column, year, sex, bands), theta) for c in cluster]
        funnel = [c for c in funnel if c["n"] > 0]
        for c, flag in zip(funnel, clear(funnel)):
            c["clear"] = flag
        over_years = {}
        for y in years:
            values = {}
            for name, codes in (("practice", {own["code"]}), ("cluster", set(cluster)), ("country", {COUNTRY})):
                x, n = counts(table, codes, column, y, sex, bands)
                values[name] = x / n * 1000 if n else None
                if name == "practice" and n:
                    values["low"], values["high"] = (v * 1000 for v in interval(model, x, n, 0.95))
            over_years[str(y)] = values
        by_band = {}
        for band in range(19):
            if bands is None or band in bands:
                x, n = counts(table, {own["code"]}, column, year, sex, {band})
                by_band[str(band)] = x / n * 1000 if n else None
        by_sex = {}
        for s in (1, 2):
            if sex is None or s == sex:
                x, n = counts(table, {own["code"]}, column, year, s, bands)
                by_sex[str(s)] = x / n * 1000 if n else None
        by_age = {}
        by_age_interval = {}
        for code, (_, first, last) in enumerate(fidelity.AGE_GROUPS, start=1):
            group = set(range(first, last + 1)) & (bands if bands is not None else set(range(first, last + 1)))
            x, n = counts(table, {own["code"]}, column, year, sex, group)
            by_age[str(code)] = x / n * 1000 if n else None
            if n:
                by_age_interval[str(code)] = [v * 1000 for v in interval(model, x, n, 0.95)]
        measures[key] = {
            "model": model,
            "country": {"x": cx, "n": cn, "value": theta * 1000 if theta is not None else None},
            "practice": practice,
            "cluster": whole,
            "funnel": funnel,
            "years": over_years,
            "by_age": by_age,
            "by_age_interval": by_age_interval,
            "by_band": by_band,
            "by_sex": by_sex,
        }
    for unit in ("practice", "cluster"):
        flags = clear([measures[k][unit] for k, _, _ in MEASURES])
        for (k, _, _), flag in zip(MEASURES, flags):
            measures[k][unit]["clear"] = flag
            # The intervention page's own comparison stands alone.
            measures[k][unit]["clear_alone"] = clear([measures[k][unit]])[0]
    own_listed = {
        key: counts(table, {own["code"]}, f"{g}_patients", year, sex, bands)[1]
        for key, _, _ in MEASURES
        for g in [key.rsplit("_", 1)[0]]
    }
    parts = {}
    for g in fidelity.DRUG_GROUPS:
        listed = own_listed[f"{g}_patients"]
        found = breakdowns(con, extracts, own["code"], g, year, sex, bands)
        for i, k in enumerate(("patients", "ddd")):
            parts[f"{g}_{k}"] = {
                kind: {key: v[i] / listed * 1000 for key, v in values.items()} for kind, values in found.items()
            }
    con.close()
    print(
        json.dumps(
            {
                "parts": parts,
                "practice": {
                    "provider_number": provider,
                    "code": own["code"],
                    "name": own["name"],
                    "gp_cluster": own["gp_cluster"],
                },
                "others": others,
                "years": years,
                "year": year,
                "measures": measures,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
