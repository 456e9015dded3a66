"""What the closed view should show for one scope, read straight from the
store with pyarrow (not with any code of the project): listed patients and
GP contacts per practice in the latest year of the scope's closed
by-practice tile, keyed by provider number; and the general practices
the provider register (YDR extract) places in the municipality.

    python tests/closed_oracle.py SCOPE MUNICIPALITY

Prints JSON."""

import csv
import json
import os
import sqlite3
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc


def main(scope, municipality):
    db = Path(os.environ["TVAERS_DATA"]) / "tvaers.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (data,) = con.execute(
        "SELECT t.bytes FROM tiles t JOIN release_tiles r ON r.tile_id = t.id "
        "JOIN tile_scopes s ON s.tile_id = t.id "
        "WHERE r.release_id = (SELECT id FROM releases ORDER BY seq DESC LIMIT 1) "
        "AND t.family = 'by_practice' AND s.scope = ?",
        (scope,),
    ).fetchone()
    con.close()
    table = pa.ipc.open_stream(bytes(data)).read_all()
    number = {p["code"]: p["provider_number"] for p in json.loads(table.schema.metadata[b"tvaers.practices"])}
    year = max(table.column("year").to_pylist())
    sums = {}
    rows = zip(
        table.column("year").to_pylist(),
        table.column("practice").to_pylist(),
        table.column("listed_patients").to_pylist(),
        table.column("gp_contacts").to_pylist(),
    )
    for y, practice, listed, contacts in rows:
        if y == year:
            s = sums.setdefault(number[practice], [0, 0])
            s[0] += listed
            s[1] += contacts
    with open(Path(os.environ["TVAERS_EXTRACTS"]) / "ydr.csv", newline="", encoding="utf-8") as f:
        in_register = sorted(
            {
                r["provider_number"]
                for r in csv.DictReader(f)
                if r["provider_type"] == "general_practice" and int(r["municipality"]) == municipality
            }
        )
    print(json.dumps({"year": year, "practices": sums, "register": in_register}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
