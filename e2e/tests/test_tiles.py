"""The served tiles are plain Arrow IPC: pyarrow reads them, and their
schema and totals match the generated extracts (counted here with the
csv module, not with any code of the project)."""

import csv
import hashlib
import os
import urllib.request
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc

URL = os.environ["TVAERS_URL"]
EXTRACTS = Path(os.environ["TVAERS_EXTRACTS"])


def get(path):
    with urllib.request.urlopen(URL + path) as response:
        return response.headers, response.read()


def read_csv(name):
    with open(EXTRACTS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def geography_tile():
    import json

    _, body = get("/api/manifest")
    manifest = json.loads(body)
    entry = next(t for t in manifest["tiles"] if t["family"] == "geography")
    headers, data = get(entry["url"])
    return entry, headers, data


def test_tile_is_arrow_ipc_with_the_catalogue_schema():
    entry, headers, data = geography_tile()
    assert headers["Content-Type"] == "application/vnd.apache.arrow.stream"
    assert "immutable" in headers["Cache-Control"]
    assert hashlib.sha256(data).hexdigest() == entry["id"] == entry["sha256"]
    assert len(data) == entry["bytes"]

    table = pa.ipc.open_stream(data).read_all()
    assert table.schema.names[:6] == ["year", "municipality", "age_band", "sex", "citizens", "gp_contacts"]
    assert table.schema.field("municipality").type == pa.uint16()
    assert table.schema.field("sex").type == pa.uint8()
    assert table.schema.field("gp_contacts").type == pa.uint32()
    assert table.schema.metadata[b"tvaers.format_version"] == b"1"
    assert table.schema.metadata[b"tvaers.family"] == b"geography"
    assert table.num_rows == entry["rows"]


def citizens(year):
    """Citizens of `year` by CPR number: status not 30/50/60, a period of
    residence overlapping the year, placed by the last such period."""
    first, last = f"{year}-01-01", f"{year}-12-31"
    found = {}
    for r in read_csv("cpr.csv"):
        if r["status"] in ("30", "50", "60") or int(r["birth_date"][:4]) > year:
            continue
        if r["valid_from"] > last or (r["valid_to"] and r["valid_to"] <= first):
            continue
        if r["cpr"] not in found or found[r["cpr"]]["valid_from"] < r["valid_from"]:
            found[r["cpr"]] = r
    return found


def gp_contacts(year):
    practices = {p["provider_number"] for p in read_csv("ydr.csv") if p["provider_type"] == "general_practice"}
    return [
        c
        for c in read_csv("ssr.csv")
        if c["provider_number"] in practices and int(c["contact_date"][:4]) == year
    ]


def test_tile_totals_equal_the_extracts():
    _, _, data = geography_tile()
    table = pa.ipc.open_stream(data).read_all().to_pydict()
    years = sorted(set(table["year"]))
    assert years, "the tile has years"
    for year in years:
        persons = citizens(year)
        contacts = [c for c in gp_contacts(year) if c["cpr"] in persons]
        rows = [i for i, y in enumerate(table["year"]) if y == year]

        assert sum(table["citizens"][i] for i in rows) == len(persons)
        assert sum(table["gp_contacts"][i] for i in rows) == len(contacts)

        by_municipality = Counter(int(p["municipality"]) for p in persons.values())
        tile_by_municipality = Counter()
        for i in rows:
            tile_by_municipality[table["municipality"][i]] += table["citizens"][i]
        assert tile_by_municipality == by_municipality

        women_contacts = sum(1 for c in contacts if persons[c["cpr"]]["sex"] == "K")
        tile_women = sum(table["gp_contacts"][i] for i in rows if table["sex"][i] == 2)
        assert tile_women == women_contacts
