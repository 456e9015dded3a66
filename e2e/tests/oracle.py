"""What the portal should show for one measure, computed from the API's
tiles with pyarrow (not with any code of the project): the value of the
whole country or a region, and of each region or of the region's
municipalities, with its disclosure status.

    python tests/oracle.py RELEASE FAMILY NUMERATOR DENOMINATOR BEHIND FACTOR [REGION] [--sex 1|2]
                           [--by municipality|age_group|sex]

DENOMINATOR is `-` for counts; BEHIND is the count of persons the
numerator rests on; FACTOR is 1000 for "per 1,000", 100 for percent, 1
otherwise. Rows are the regions, or the region's municipalities; with
--by, the whole country's municipalities, age groups (1 = 0-17, 2 =
18-64, 3 = 65-74, 4 = 75-84, 5 = 85+, from the age bands 0-4, 5-9,
10-14, 15-17, 18-19, 20-24, ..., 80-84, 85+) or sexes. Prints JSON."""

import csv
import json
import os
import sys
import urllib.request

import pyarrow as pa
import pyarrow.ipc

URL = os.environ["TVAERS_URL"]


def get(path):
    with urllib.request.urlopen(URL + path) as response:
        return response.read()


# The lower age of each age band, by code.
BAND_LOWER = [0, 5, 10, 15, 18] + [20 + 5 * i for i in range(14)]


def age_group(band):
    lower = BAND_LOWER[band]
    return 1 if lower < 18 else 2 if lower < 65 else 3 if lower < 75 else 4 if lower < 85 else 5


def main(release, family, numerator, denominator, behind, factor, region=None, sex=None, by=None):
    manifest = json.loads(get(f"/api/releases/{release}"))
    entry = next(t for t in manifest["tiles"] if t["family"] == family)
    table = pa.ipc.open_stream(get(entry["url"])).read_all()
    protected = table.schema.metadata[b"tvaers.disclosure"] != b"exact"
    with open(os.environ["TVAERS_GEOGRAPHY"], newline="", encoding="utf-8") as f:
        region_of = {
            int(r["komkode"]): int(r["regionskode"]) for r in csv.DictReader(f) if r["er_kommune"] == "ja"
        }
    year = max(table.column("year").to_pylist())
    columns = {name: table.column(name).to_pylist() for name in {numerator, behind} | ({denominator} - {"-"})}
    years = table.column("year").to_pylist()
    municipalities = table.column("municipality").to_pylist()
    sexes = table.column("sex").to_pylist()
    bands = table.column("age_band").to_pylist()
    sums, total = {}, [0, 0, 0]
    for i, (y, m) in enumerate(zip(years, municipalities)):
        if y != year or (region is not None and region_of[m] != region):
            continue
        if sex is not None and sexes[i] != sex:
            continue
        group = {
            "municipality": m,
            "age_group": age_group(bands[i]),
            "sex": sexes[i],
        }.get(by, m if region is not None else region_of[m])
        row = [
            columns[numerator][i],
            columns[denominator][i] if denominator != "-" else 0,
            columns[behind][i],
        ]
        acc = sums.setdefault(group, [0, 0, 0])
        for j in range(3):
            acc[j] += row[j]
            total[j] += row[j]

    def shown(num, den, persons):
        if denominator != "-" and den == 0:
            return {"value": None, "status": "suppressed" if protected else "exact"}
        value = num / den * factor if denominator != "-" else num
        if not protected:
            return {"value": value, "status": "exact"}
        if persons < 5 or num == 0:
            return {"value": None, "status": "suppressed"}
        return {"value": value, "status": "perturbed"}

    print(
        json.dumps(
            {
                "year": year,
                "total": shown(*total),
                "rows": {str(k): shown(*v) for k, v in sums.items()},
            }
        )
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    sex = by = None
    if "--sex" in args:
        at = args.index("--sex")
        sex = int(args[at + 1])
        del args[at : at + 2]
    if "--by" in args:
        at = args.index("--by")
        by = args[at + 1]
        del args[at : at + 2]
    main(
        args[0],
        args[1],
        args[2],
        args[3],
        args[4],
        float(args[5]),
        int(args[6]) if len(args) > 6 else None,
        sex,
        by,
    )
