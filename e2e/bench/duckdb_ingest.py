"""DuckDB's time to load each register extract from CSV into a table: the
peer figure of `cargo xtask bench-ingest`.

usage: duckdb_ingest.py EXTRACTS_DIR REGISTER...
prints one line per register: `register rows seconds cpu_seconds` (CPU:
user and system time of this process, DuckDB's threads included)
"""

import sys
import time
from pathlib import Path

import duckdb


def main():
    extracts = Path(sys.argv[1])
    con = duckdb.connect()  # in memory: DuckDB's fastest case
    for register in sys.argv[2:]:
        path = extracts / f"{register}.csv"
        started = time.perf_counter()
        cpu_started = time.process_time()
        con.execute(
            f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(?, header = true, all_varchar = false)",
            [str(path)],
        )
        rows = con.execute("SELECT COUNT(*) FROM t").fetchone()[0]
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        print(f"{register} {rows} {seconds:.3f} {cpu_seconds:.3f}", flush=True)
        con.execute("DROP TABLE t")


if __name__ == "__main__":
    main()
