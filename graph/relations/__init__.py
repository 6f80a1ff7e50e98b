"""Relationship intelligence: our own accounts and who engages with them
(:mod:`graph.relations.accounts`), timed events derived from posts
(:mod:`graph.relations.events`), warm paths from our accounts, introductions,
rising voices (momentum), listening (topic trends, questions), tone and detractors,
and the per-person card. Pure functions over the store's tables; no store access here."""
