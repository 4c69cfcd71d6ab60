"""How many examples each Hypothesis property tries.

`make test` runs every property with the count written beside it. `make
test-fast` sets KSMART_TEST_FAST=1, and each property tries a quarter of that
count (at least 5): the same properties over fewer generated inputs, for a
quick loop before the full run. Derandomised properties stay deterministic
(they try the first examples of their fixed sequence).
"""

from __future__ import annotations

import os

FAST = os.environ.get("KSMART_TEST_FAST", "").strip() == "1"


def examples(n: int) -> int:
    """`n` in the full suite; n // 4 (at least 5) under KSMART_TEST_FAST=1."""
    return max(5, n // 4) if FAST else n
