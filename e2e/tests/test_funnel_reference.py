"""The funnel plots' reference values (`shared/tests/data/funnel_scipy.json`,
against which `shared/tests/funnel.rs` checks our code) are exactly what
SciPy computes from their definitions now."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_reference_is_what_scipy_computes():
    fresh = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("funnel_reference.py"))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    committed = (ROOT / "shared/tests/data/funnel_scipy.json").read_text()
    assert json.loads(fresh) == json.loads(committed)


def test_the_reference_exercises_both_sides_of_every_decision():
    reference = json.loads((ROOT / "shared/tests/data/funnel_scipy.json").read_text())
    clear = [c for case in reference["bh"] for c in case["clear"]]
    assert any(clear) and not all(clear)
    p = [case["p"] for case in reference["p_values"]]
    assert min(p) < 0.001 and max(p) > 0.5
    limits = [case["limit"] for case in reference["limits"]]
    assert 0.0 in limits, "a lower limit clamped at zero"
