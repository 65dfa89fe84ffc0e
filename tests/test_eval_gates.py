"""Quality gates on the shared gold sets: a change that lowers a figure below the committed
baseline (tests/quality_baseline.json) fails here.

The baseline is rewritten only by `make baseline`, which refuses to lower a figure unless told
to. Skipped where ../shared is not beside the checkout.
"""

import pytest

from conftest import shared_path
from quality_baseline import GATES, TOLERANCE, load, measure

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("gate", sorted(GATES))
def test_quality_holds_its_baseline(pipeline, gate):
    shared_path(*GATES[gate][0].split("/"))  # skips, with a message, without ../shared
    baseline = load()[gate]
    assert measure(gate, pipeline) >= baseline - TOLERANCE, f"{gate} fell below {baseline}"
