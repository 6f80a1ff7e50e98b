"""Whom to nurture: the cascade model (:mod:`graph.shortlist.cascade`), set selection
(:mod:`graph.shortlist.selection`), the team split, reasons and flags, tracking, handle
lists and the export table."""
