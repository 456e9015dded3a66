"""Disclosure attacks, written as an adversary who has only the public
tiles (read here with pyarrow) and may add, subtract and average them at
will.

Each attack first runs against the exact tiles of the same synthetic data
(the release the end-to-end run serves first) to show that counts of 1-4
exist and that the attack recovers them from a naively protected release
(cells of 1-4 blanked, everything else exact, the totals it shows
included, the way CDC WONDER's suppression was broken). Then it runs
against the protected public release (the one before it, `previous` in
the manifest) and must recover nothing:
no derived count of 1-4 at all, let alone the true one.

Nothing here uses the project's code: tiles come over HTTP (or, for the
release test, straight out of a copy of the store) and are read with
pyarrow."""

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pytest

URL = os.environ["TVAERS_URL"]

# The quantities the attacks aim at: persons and events.
QUANTITIES = ["citizens", "gp_contacts", "hospital_contacts"]
SPLITS = ["civil_status", "cpr_status", "nursing_home"]
# The events of the quarter and month tiles, by family: they add up over
# the quarters, and over the months, to the year.
PERIOD_EVENTS = [("geography", "gp_contacts"), ("hospital", "hospital_contacts")]
BASE_KEYS = ["year", "municipality", "age_band", "sex"]


def get_json(path):
    with urllib.request.urlopen(URL + path) as response:
        return json.loads(response.read())


def read(data):
    return pa.ipc.open_stream(data).read_all()


def fetch_tiles(manifest):
    """The tiles of a manifest. The bytes are taken from the store rather
    than over HTTP (the debug server compresses split tiles slowly while
    it starts); they are the served bytes, as their SHA-256 is the id the
    manifest gives."""
    con = sqlite3.connect(Path(os.environ["TVAERS_DATA"]) / "tvaers.db")
    tiles = {}
    for entry in manifest["tiles"]:
        (data,) = con.execute("SELECT bytes FROM tiles WHERE id = ?", (entry["id"],)).fetchone()
        assert hashlib.sha256(data).hexdigest() == entry["id"]
        # Parts of split tiles ("geography.quarter=2") repeat their
        # tile's rows: the whole tiles are checked.
        if "=" not in entry["family"]:
            tiles[entry["family"]] = read(bytes(data))
    con.close()
    return tiles


@pytest.fixture(scope="module")
def releases():
    current = get_json("/api/manifest")
    assert current["previous"], "the e2e run builds the public release first"
    previous = get_json(f"/api/releases/{current['previous']}")
    exact, public = fetch_tiles(current), fetch_tiles(previous)
    assert all(t.schema.metadata[b"tvaers.disclosure"] == b"exact" for t in exact.values())
    assert all(
        t.schema.metadata[b"tvaers.disclosure"] == b"cell_key_round_5" for t in public.values()
    )
    return exact, public


def cells(table, keys, quantity):
    """{key tuple: value} of one quantity."""
    columns = [table.column(k).to_pylist() for k in keys]
    values = table.column(quantity).to_pylist()
    return {key: v for key, v in zip(zip(*columns), values)}


def small(n):
    return 1 <= n <= 4


def naive(table_cells):
    """The naive protection: counts of 1-4 blanked, the rest exact."""
    return {k: (None if small(v) else v) for k, v in table_cells.items()}


def subtract_attack(total, parts, group):
    """For every part whose group total is known: total minus the other
    parts of its group. Returns {part key: derived value}; parts that are
    blanked (None) make the others' derivation impossible, except for the
    one target itself."""
    by_group = defaultdict(list)
    for key, value in parts.items():
        by_group[group(key)].append((key, value))
    derived = {}
    for g, members in by_group.items():
        t = total.get(g, 0)
        if t is None:
            continue
        for key, _ in members:
            others = [v for k, v in members if k != key]
            if any(v is None for v in others):
                continue
            derived[key] = t - sum(others)
    return derived


def judge(name, exact_parts, derived_naive, derived_public, naive_must_fall=True):
    """The attack must work on the naive release and fail on the public one.
    (`naive_must_fall=False` for an attack whose totals in the naive
    release are themselves sums of blanked cells more often than not.)"""
    targets = {k for k, v in exact_parts.items() if small(v)}
    assert targets, f"{name}: the exact data has no count of 1-4 to attack"
    recovered_naive = [k for k in targets if derived_naive.get(k) == exact_parts[k]]
    if naive_must_fall:
        assert recovered_naive, f"{name}: the attack recovers nothing even from the naive release"
    recovered = [k for k in targets if derived_public.get(k) == exact_parts[k]]
    assert recovered == [], f"{name}: true counts of 1-4 recovered: {recovered[:5]}"
    revealing = [v for v in derived_public.values() if small(abs(v))]
    assert revealing == [], f"{name}: derived counts of 1-4: {revealing[:5]}"
    print(
        f"{name}: {len(targets)} cells of 1-4; naive release gives away "
        f"{len(recovered_naive)}, the public release 0 of {len(derived_public)} derived"
    )
    return len(recovered_naive)


def split_attack(releases, family, split, quantity, split_key):
    exact, public = releases
    base_key = f"{family}"
    tile_key = f"{family}.{split}"
    keys = BASE_KEYS + [split_key]

    def group(key):
        return key[:4]

    exact_parts = cells(exact[tile_key], keys, quantity)
    exact_total = cells(exact[base_key], BASE_KEYS, quantity)
    naive_derived = subtract_attack(naive(exact_total), naive(exact_parts), group)
    public_derived = subtract_attack(
        cells(public[base_key], BASE_KEYS, quantity),
        cells(public[tile_key], keys, quantity),
        group,
    )
    judge(f"{tile_key}/{quantity}", exact_parts, naive_derived, public_derived)


@pytest.mark.parametrize("split", SPLITS)
def test_subtracting_sub_groups_from_a_total_recovers_nothing(releases, split):
    split_attack(releases, "geography", split, "citizens", split)
    split_attack(releases, "hospital", split, "hospital_contacts", split)


def test_overlapping_geographies_recover_nothing(releases):
    """A municipality's cell minus its cells in all GP clusters but one;
    and a GP cluster's listed patients (by practice) minus its
    municipalities but one."""
    split_attack(releases, "geography", "gp_cluster", "citizens", "gp_cluster")

    exact, public = releases

    def practices(tiles):
        dictionary = json.loads(tiles["by_practice"].schema.metadata[b"tvaers.practices"])
        return {p["code"]: p["gp_cluster"] for p in dictionary}

    def cluster_totals(tiles, blank):
        cluster_of = practices(tiles)
        listed = cells(tiles["by_practice"], ["year", "practice", "age_band", "sex"], "listed_patients")
        totals = {}
        for (year, practice, band, sex), v in listed.items():
            key = (year, cluster_of[practice], band, sex)
            so_far = totals.get(key, 0)
            if so_far is not None:
                totals[key] = None if (blank and small(v)) else so_far + v
        return totals

    keys = ["year", "municipality", "age_band", "sex", "gp_cluster"]

    def group(key):
        return (key[0], key[4], key[2], key[3])

    exact_parts = cells(exact["geography.gp_cluster"], keys, "citizens")
    exact_parts = {k: v for k, v in exact_parts.items() if k[4] != 0}
    naive_derived = subtract_attack(cluster_totals(exact, True), naive(exact_parts), group)
    public_parts = cells(public["geography.gp_cluster"], keys, "citizens")
    public_parts = {k: v for k, v in public_parts.items() if k[4] != 0}
    public_derived = subtract_attack(cluster_totals(public, False), public_parts, group)
    judge(
        "GP cluster by practice minus municipalities",
        exact_parts,
        naive_derived,
        public_derived,
        naive_must_fall=False,
    )


def areas(column):
    """{municipality code: its region or health cluster}, from the
    geography table (`column`: "regionskode" or "sundhedsklynge")."""
    with open(os.environ["TVAERS_GEOGRAPHY"], newline="", encoding="utf-8") as f:
        return {int(r["komkode"]): r[column] for r in csv.DictReader(f) if r["er_kommune"] == "ja"}


@pytest.mark.parametrize("column", ["regionskode", "sundhedsklynge"])
def test_a_region_or_health_cluster_minus_its_municipalities_recovers_nothing(releases, column):
    """A region's (or health cluster's) cell minus the same cell of all its
    municipalities but one. The portal shows regions and health clusters
    as sums of municipality cells; the adversary takes the area's total
    from another tile (the nursing-home split, summed over its codes) so
    that it is not the sum of the very cells subtracted from it. A naive
    release shows the area totals itself, exact unless they are 1-4."""
    exact, public = releases
    area_of = areas(column)

    def group(key):
        year, municipality, band, sex = key
        return (year, area_of[municipality], band, sex)

    def totals(tiles, family, quantity):
        sums = defaultdict(int)
        for key, v in cells(tiles[f"{family}.nursing_home"], BASE_KEYS + ["nursing_home"], quantity).items():
            sums[group(key[:4])] += v
        return dict(sums)

    # A region has about 20 municipalities, so a region's cell minus all
    # of them but one rarely leaves exactly one small cell unblanked: the
    # naive release must fall to the two quantities together.
    recovered = 0
    for family, quantity in [("geography", "citizens"), ("hospital", "hospital_contacts")]:
        exact_parts = cells(exact[family], BASE_KEYS, quantity)
        exact_totals = defaultdict(int)
        for key, v in exact_parts.items():
            exact_totals[group(key)] += v
        naive_derived = subtract_attack(naive(dict(exact_totals)), naive(exact_parts), group)
        public_derived = subtract_attack(
            totals(public, family, quantity), cells(public[family], BASE_KEYS, quantity), group
        )
        recovered += judge(
            f"{family}/{quantity}: {column} minus its municipalities",
            exact_parts,
            naive_derived,
            public_derived,
            naive_must_fall=False,
        )
    assert recovered, f"{column}: the attack recovers nothing even from the naive release"


def test_periods_recover_nothing(releases):
    """Years, quarters and months: a cell's sum over all years minus the
    years but one; and a cell of a year minus three of its quarters (or
    eleven of its months), which gives the last for events (contacts add
    up over the periods; persons do not, as a citizen counts in every
    period they lived in)."""
    exact, public = releases
    keys = ["year", "municipality", "age_band", "sex"]

    def by_years(tiles, blank):
        c = cells(tiles["hospital"], keys, "hospital_contacts")
        return naive(c) if blank else c

    def attack(parts):
        totals = defaultdict(int)
        for (year, m, band, sex), v in parts.items():
            key = (m, band, sex)
            totals[key] = None if v is None or totals[key] is None else totals[key] + v
        return subtract_attack(totals, parts, lambda k: k[1:])

    exact_parts = by_years(exact, False)
    public_derived = attack(by_years(public, False))
    revealing = [v for v in public_derived.values() if small(abs(v))]
    assert revealing == []
    targets = [k for k, v in exact_parts.items() if small(v)]
    assert targets, "the exact data has no count of 1-4"
    recovered = [k for k in targets if public_derived.get(k) == exact_parts[k]]
    assert recovered == []

    for family, quantity in PERIOD_EVENTS:
        for period in ("quarter", "month"):
            split_attack(releases, family, period, quantity, period)


def total_attack(releases, family, quantity, dropped, split="nursing_home"):
    """Age bands or sexes subtracted from a total: a municipality's total
    of a year for one sex (over all age bands) minus the base cells of
    that sex in all age bands but one gives the remaining cell; so does
    its total of an age band (over both sexes) minus the cell of one sex.
    `dropped` is the key column the total is summed over, "age_band" or
    "sex". From the public tiles the adversary sums the total from a split
    tile over all its codes (those of nursing_home partition the citizens
    and their events), so that it is not the sum of the very cells
    subtracted from it. A naive release cannot sum such totals from its
    blanked cells, so it shows them itself, exact unless they are 1-4, as
    CDC WONDER did."""
    exact, public = releases
    position = BASE_KEYS.index(dropped)

    def group(key):
        return key[:position] + key[position + 1 :]

    def totals(tiles):
        sums = defaultdict(int)
        for key, v in cells(tiles[f"{family}.{split}"], BASE_KEYS + [split], quantity).items():
            sums[group(key[:4])] += v
        return dict(sums)

    exact_parts = cells(exact[family], BASE_KEYS, quantity)
    naive_derived = subtract_attack(naive(totals(exact)), naive(exact_parts), group)
    public_derived = subtract_attack(totals(public), cells(public[family], BASE_KEYS, quantity), group)
    judge(f"{family}/{quantity}: {split} total minus {dropped}", exact_parts, naive_derived, public_derived)


@pytest.mark.parametrize("dropped", ["age_band", "sex"])
def test_subtracting_age_bands_or_sexes_from_a_total_recovers_nothing(releases, dropped):
    total_attack(releases, "geography", "citizens", dropped)
    total_attack(releases, "hospital", "hospital_contacts", dropped)


def test_repeated_appearances_of_a_cell_are_identical(releases):
    """The citizens of a cell are in the geography, hospital and
    municipal-care tiles of every split: averaging them would narrow
    independent noise, so each must show the same value."""
    exact, public = releases
    appearances = defaultdict(list)
    for key, table in public.items():
        if "citizens" not in table.schema.names:
            continue
        split = key.split(".", 1)[1] if "." in key else ""
        keys = BASE_KEYS + ([split] if split else [])
        for cell, v in cells(table, keys, "citizens").items():
            appearances[(split, cell)].append(v)
    repeated = [v for v in appearances.values() if len(v) > 1]
    assert len(repeated) > 1000, "cells appear in several tiles"
    differing = [v for v in repeated if len(set(v)) > 1]
    assert differing == [], differing[:5]
    # The average of identical values is one of them: a multiple of 5.
    means = [sum(v) / len(v) for v in repeated]
    assert not [m for m in means if 0 < m < 5]
    # And small true cells exist among them.
    exact_small = [
        c
        for c, v in cells(exact["geography"], BASE_KEYS, "citizens").items()
        if small(v) and ("", c) in appearances
    ]
    assert exact_small


def store_releases(db):
    """{release id: {tile key: table}} and the release order, straight from
    a store (the bytes the server would send)."""
    con = sqlite3.connect(db)
    order = [r for (r,) in con.execute("SELECT id FROM releases ORDER BY seq")]
    out = {}
    for release in order:
        rows = con.execute(
            "SELECT t.family, t.bytes FROM release_tiles rt JOIN tiles t ON t.id = rt.tile_id "
            "WHERE rt.release_id = ? AND t.id NOT IN (SELECT tile_id FROM tile_scopes) "
            "ORDER BY rt.position",
            (release,),
        )
        out[release] = {family: read(bytes(data)) for family, data in rows if "=" not in family}
    con.close()
    return order, out


def test_a_rebuild_with_one_person_added_gives_nothing_away(tmp_path):
    """Copy the store, add one person (CPR and a GP contact), rebuild the
    public and the exact release, and subtract the releases."""
    data = Path(os.environ["TVAERS_DATA"])
    binary = os.environ["TVAERS_BIN"]
    copy = tmp_path / "data"
    copy.mkdir()
    shutil.copy(data / "pseudonym.key", copy / "pseudonym.key")
    source = sqlite3.connect(data / "tvaers.db")
    target = sqlite3.connect(copy / "tvaers.db")
    source.backup(target)
    source.close()
    target.close()

    def tvaers(*args):
        done = subprocess.run(
            [binary, "--data-dir", str(copy), *args], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    # Someone of 98 on Læsø, the smallest municipality: their cells are small.
    extracts = Path(os.environ["TVAERS_EXTRACTS"])
    with open(extracts / "ssr.csv", encoding="utf-8") as f:
        provider = f.readlines()[1].split(",")[2]
    cpr = tmp_path / "cpr.csv"
    cpr.write_text(
        "cpr,birth_date,sex,municipality,address_id,valid_from,valid_to,civil_status,status,status_date\n"
        "0103261322,1926-03-01,K,825,a7d1c0de-0000-4000-8000-000000000825,2000-01-01,,E,01,\n",
        encoding="utf-8",
    )
    ssr = tmp_path / "ssr.csv"
    ssr.write_text(
        f"cpr,contact_date,provider_number,contact_type\n0103261322,2024-03-01,{provider},consultation\n",
        encoding="utf-8",
    )
    tvaers("ingest", "cpr", str(cpr))
    tvaers("ingest", "ssr", str(ssr))
    tvaers("build")
    tvaers("build", "--exact")
    order, tiles = store_releases(copy / "tvaers.db")
    public_before, exact_before, public_after, exact_after = (tiles[r] for r in order[-4:])
    assert public_after["geography"].schema.metadata[b"tvaers.disclosure"] == b"cell_key_round_5"
    assert exact_after["geography"].schema.metadata[b"tvaers.disclosure"] == b"exact"

    def differences(before, after, key, keys, quantity):
        b = cells(before[key], keys, quantity)
        a = cells(after[key], keys, quantity)
        return {k: a.get(k, 0) - b.get(k, 0) for k in set(a) | set(b) if a.get(k, 0) != b.get(k, 0)}

    checked = 0
    for key, table in exact_after.items():
        family = key.split(".")[0]
        if family.startswith("by_"):
            continue
        split = key.split(".", 1)[1] if "." in key else None
        keys = BASE_KEYS + ([split] if split else [])
        for quantity in QUANTITIES:
            if quantity not in table.schema.names:
                continue
            exact_diff = differences(exact_before, exact_after, key, keys, quantity)
            public_diff = differences(public_before, public_after, key, keys, quantity)
            # The exact releases show exactly where the person went.
            assert all(k[1] == 825 for k in exact_diff), (key, exact_diff)
            if quantity == "citizens" and split != "target_group":
                assert exact_diff, f"{key}: the added citizen shows in the exact release"
                assert set(exact_diff.values()) == {1}, (key, exact_diff)
            # The public ones move in steps of 5, only where the person is.
            assert all(v % 5 == 0 for v in public_diff.values()), (key, public_diff)
            assert set(public_diff) <= set(exact_diff), (key, public_diff, exact_diff)
            checked += 1
    assert checked > 10
