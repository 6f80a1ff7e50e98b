"""The jobs people do, as library calls the CLI and the app share.

load files → rank → shortlist (→ split across the team) → edit → export. Each job takes
a store and returns a typed result (:class:`RankResult`, :class:`ShortlistResult`, …);
none of them prints or imports streamlit. This package and :mod:`graph.cli` are the
only places that import :mod:`loaders`.
"""

from graph.jobs.data import export_graph, half_loaded, load_files
from graph.jobs.ranking import RankResult, rank, scored_people, topic_shares_for
from graph.jobs.shortlist import (
    EXPORT_SUFFIXES,
    ShortlistResult,
    add_to_shortlist,
    build_shortlist,
    export_shortlist,
    saved_shortlist,
    track,
)

__all__ = [
    "load_files",
    "export_graph",
    "half_loaded",
    "rank",
    "RankResult",
    "scored_people",
    "topic_shares_for",
    "build_shortlist",
    "ShortlistResult",
    "saved_shortlist",
    "track",
    "add_to_shortlist",
    "export_shortlist",
    "EXPORT_SUFFIXES",
]
