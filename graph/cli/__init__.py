"""``influence``: load exports, rank, shortlist, query, and start the app.

Every command says which store it uses on stderr; figures and tables go to stdout.
The product's own errors are one line on stderr and a non-zero exit; anything else
is reported as an internal error (``--debug`` shows the traceback). Each job family
is a module here, imported when one of its commands runs (:class:`graph.cli.base.LazyGroup`),
and ``influence --help`` itself is printed without click (:mod:`graph.cli.quick_help`),
so it costs little more than starting Python. ``main`` (the click group) is imported on
first use.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["main", "run"]


def run() -> None:
    """The ``influence`` entry point: the group's help printed without click, anything else by click."""
    if sys.argv[1:] in (["--help"], ["-h"]):
        from graph.cli.quick_help import render

        sys.stdout.write(render(os.path.basename(sys.argv[0]) or "influence"))
        return
    from graph.cli.base import main

    main()


def __getattr__(name: str) -> Any:
    if name != "main":
        raise AttributeError(f"module 'graph.cli' has no attribute {name!r}")
    from graph.cli.base import main

    return main
