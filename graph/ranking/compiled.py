"""What the compiled (numba) kernels share: numba's ``njit`` (None where numba is not
installed, so callers fall back to their array versions), whether it is there, and how
many cores this process may run on (the kernels split their work across plain threads
over ``nogil`` functions, never numba's own parallel layer)."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["njit", "available", "cores"]

njit: Any
try:  # numba is a dependency; a platform without it falls back to the array versions
    from numba import njit
except ImportError:  # pragma: no cover - exercised only where numba is missing
    njit = None


def available() -> bool:
    """Whether compiled kernels can run here.

    >>> isinstance(available(), bool)
    True
    """
    return njit is not None


def cores() -> int:
    """Cores this process may run on.

    >>> cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
