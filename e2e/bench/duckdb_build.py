"""The peer figures of `cargo xtask bench-build`.

usage: duckdb_build.py EXTRACTS_DIR SQLITE_DB

1. DuckDB computes every tile cell of every family from the CSV extracts,
   with the SQL of the fidelity test (written from the catalogue's
   definitions, not from our code): prints `duckdb SECONDS PEAK_KIB`.
2. Every tile of the latest release in our SQLite store is written as
   Parquet with ZSTD by pyarrow: prints `parquet FAMILY ROWS RAW_BYTES
   PARQUET_BYTES`.
"""

import io
import resource
import sqlite3
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.ipc
import pyarrow.parquet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import test_fidelity  # noqa: E402


def main():
    extracts, db = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    con = duckdb.connect()
    years = test_fidelity.event_years(con, extracts)
    cells = test_fidelity.expected_cells(con, extracts, years)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"duckdb {seconds:.3f} {peak} {sum(len(v) for v in cells.values())}", flush=True)

    store = sqlite3.connect(db)
    rows = store.execute(
        """SELECT t.family, t.bytes FROM tiles t
           JOIN release_tiles r ON r.tile_id = t.id
           WHERE r.release_id = (SELECT id FROM releases ORDER BY seq DESC LIMIT 1)
             AND t.id NOT IN (SELECT tile_id FROM tile_scopes)
             AND t.family NOT LIKE '%=%'
           ORDER BY r.position"""
    ).fetchall()
    for family, data in rows:
        table = pyarrow.ipc.open_stream(data).read_all()
        out = io.BytesIO()
        pyarrow.parquet.write_table(table, out, compression="zstd")
        print(f"parquet {family} {table.num_rows} {len(data)} {len(out.getvalue())}", flush=True)


if __name__ == "__main__":
    main()
