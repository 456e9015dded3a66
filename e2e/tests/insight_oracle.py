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


def cells(extracts):
    """{(year, practice, age_band, sex): {column: value}} of the practices
    and of the country (practice COUNTRY), and the practice table."""
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
    con.close()
    return out, practices, years


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
    table, practices, years = cells(os.environ["TVAERS_EXTRACTS"])
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
            over_years[str(y)] = values
        by_age = {}
        for code, (_, first, last) in enumerate(fidelity.AGE_GROUPS, start=1):
            group = set(range(first, last + 1)) & (bands if bands is not None else set(range(first, last + 1)))
            x, n = counts(table, {own["code"]}, column, year, sex, group)
            by_age[str(code)] = x / n * 1000 if n else None
        measures[key] = {
            "model": model,
            "country": {"x": cx, "n": cn, "value": theta * 1000 if theta is not None else None},
            "practice": practice,
            "cluster": whole,
            "funnel": funnel,
            "years": over_years,
            "by_age": by_age,
        }
    for unit in ("practice", "cluster"):
        flags = clear([measures[k][unit] for k, _, _ in MEASURES])
        for (k, _, _), flag in zip(MEASURES, flags):
            measures[k][unit]["clear"] = flag
            # The intervention page's own comparison stands alone.
            measures[k][unit]["clear_alone"] = clear([measures[k][unit]])[0]
    print(
        json.dumps(
            {
                "practice": {"provider_number": provider, "name": own["name"], "gp_cluster": own["gp_cluster"]},
                "others": others,
                "years": years,
                "year": year,
                "measures": measures,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
