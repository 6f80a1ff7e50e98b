"""``influence``: load exports, rank, shortlist, query, and start the app.

Every command says which store it uses on stderr; figures and tables go to stdout.
The product's own errors are one line on stderr and a non-zero exit; anything else
is reported as an internal error (``--debug`` shows the traceback). Each job family
is a module here; importing this package registers every command on :data:`main`.
"""

from graph.cli import backtest, data, query, ranking, relations, serve, shortlist  # noqa: F401  (registers the commands)
from graph.cli.base import main

__all__ = ["main"]
