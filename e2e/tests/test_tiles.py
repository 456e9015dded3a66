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
    assert table.schema.names == ["year", "municipality", "age_band", "sex", "citizens", "gp_contacts"]
    assert table.schema.field("municipality").type == pa.uint16()
    assert table.schema.field("sex").type == pa.uint8()
    assert table.schema.field("gp_contacts").type == pa.uint32()
    assert table.schema.metadata[b"tvaers.format_version"] == b"1"
    assert table.schema.metadata[b"tvaers.family"] == b"geography"
    assert table.num_rows == entry["rows"]


def test_tile_totals_equal_the_extracts():
    _, _, data = geography_tile()
    table = pa.ipc.open_stream(data).read_all().to_pydict()
    persons = read_csv("cpr.csv")
    contacts = read_csv("ssr.csv")

    assert sum(table["citizens"]) == len(persons)
    assert sum(table["gp_contacts"]) == len(contacts)

    citizens_by_municipality = Counter(int(p["municipality"]) for p in persons)
    tile_by_municipality = Counter()
    for m, n in zip(table["municipality"], table["citizens"]):
        tile_by_municipality[m] += n
    assert tile_by_municipality == citizens_by_municipality

    sex_of = {p["cpr"]: p["sex"] for p in persons}
    women_contacts = sum(1 for c in contacts if sex_of[c["cpr"]] == "K")
    tile_women = sum(n for s, n in zip(table["sex"], table["gp_contacts"]) if s == 2)
    assert tile_women == women_contacts
