"""How the app's wide tables are laid out: headers and widths, in pixels.

The Shortlist page's editable list must show every control without scrolling at
1400 px (a laptop with the sidebar open leaves the table ~940 px): each header
fits its column (:func:`header_fits`), and the columns up to *Remove* fit that
width (:func:`right_edge`). The browser test checks the same numbers on the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Col", "LIST_COLUMNS", "TABLE_WIDTH_AT_1400", "header_fits", "right_edge"]


@dataclass(frozen=True)
class Col:
    """A column's header, width (px) and whether the team edits it (an editable header
    carries a pencil icon)."""

    header: str
    width: int
    editable: bool = False


#: The saved list on the Shortlist page, in order: the controls first, the long reason last.
LIST_COLUMNS: dict[str, Col] = {
    "rank": Col("#", 44),
    "handle": Col("Handle", 130),
    "owner": Col("Owner", 90, True),
    "stage": Col("Stage", 120, True),
    "last_contact": Col("Last contact", 135, True),
    "notes": Col("Notes", 110, True),
    "locked": Col("Locked", 90, True),
    "remove": Col("Remove", 95, True),
    "gain": Col("Reach gain", 95),
    "why": Col("Why them", 360),
}
#: Width of the main column's tables in a 1400 px window with the sidebar open.
TABLE_WIDTH_AT_1400 = 938


def header_fits(col: Col, *, px_per_char: float = 7.5, padding: int = 20, icon: int = 22) -> bool:
    """True when the header text (about ``px_per_char`` per character at the grid's
    14 px font), its padding and, when editable, the pencil icon fit the width.

    >>> header_fits(Col("Locked", 60, True)), header_fits(Col("Locked", 90, True))
    (False, True)
    """
    return len(col.header) * px_per_char + padding + (icon if col.editable else 0) <= col.width


def right_edge(columns: Mapping[str, Col], last: str) -> int:
    """Pixels from the table's left edge to the right edge of column ``last``.

    >>> right_edge(LIST_COLUMNS, "remove") <= TABLE_WIDTH_AT_1400
    True
    """
    total = 0
    for key, col in columns.items():
        total += col.width
        if key == last:
            return total
    raise KeyError(last)
