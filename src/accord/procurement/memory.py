"""Memory settings of a one-shot SAFE command (the CLI), applied before polars loads.

Outside the engine package on purpose: importing ``accord.procurement.engine`` loads polars,
and this must run before that.
"""

from __future__ import annotations

import os
import sys

# polars allocates through jemalloc (its symbols prefixed _rjem_), which by default keeps
# freed pages for ten seconds; numpy allocates through the C library's malloc. The pages
# polars frees once a BOM file is read can then serve none of the rollup's numpy arrays,
# and the peak memory is the sum of both. Asking jemalloc to hand freed pages back at once
# makes the peak the larger of the two instead (1M-line CSV: about 318 MB -> 252 MB, in
# benchmarks/safe_bom.py), for about 0.1 s more system time (the pages are faulted in again).
# polars reads this when it is first imported (adding it after its own defaults), so only a
# process that has not imported polars yet can ask.
JEMALLOC_RETURN_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"


def return_freed_memory_at_once() -> bool:
    """For a one-shot command (the CLI): polars' allocator returns freed memory to the system
    at once. False when polars is already loaded (then its allocator is already set up) or
    the environment already configures it."""
    if "polars" in sys.modules or "_RJEM_MALLOC_CONF" in os.environ:
        return False
    os.environ["_RJEM_MALLOC_CONF"] = JEMALLOC_RETURN_AT_ONCE
    return True
