"""Saved example queries for this schema, in both Cypher dialects.

Each :class:`Example` holds one query text per dialect where they differ
(LadybugDB lacks ``shortestPath``, ``type(r)``, list comprehensions and
``date.truncate``; Neo4j lacks ``SHORTEST``, ``label(r)``, ``list_transform``,
``date_trunc`` and ``show_tables``). :func:`dialect_key` maps
:attr:`graph.stores.base.Store.dialect` to ``"ladybug"`` or ``"neo4j"``. All queries
are read-only and take their values as ``$parameters``; :func:`default_params`
suggests values taken from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "Example",
    "EXAMPLES",
    "dialect_key",
    "query_for",
    "default_params",
    "used_params",
    "parse_params",
    "params_text",
]


@dataclass(frozen=True)
class Example:
    """A named query: ``ladybug`` text, and ``neo4j`` text where it differs."""

    title: str
    ladybug: str
    neo4j: str = ""
    note: str = ""
    graph: bool = field(default=False)  #: returns nodes/relationships worth drawing

    def text(self, dialect: str) -> str:
        """The query for a dialect key (``ladybug`` | ``neo4j``)."""
        return (self.neo4j or self.ladybug) if dialect == "neo4j" else self.ladybug


_EGO = (
    "MATCH (a:Person)-[r:RELAYS]->(b:Person {handle: $handle}) RETURN a, r, b ORDER BY r.count DESC LIMIT $n"
)

EXAMPLES: tuple[Example, ...] = (
    Example(
        "Top people by composite score",
        "MATCH (p:Person) WHERE p.score IS NOT NULL\n"
        "RETURN p.handle AS handle, p.name AS name, p.score AS score, p.followers AS followers,\n"
        "       p.relays_received AS relays, p.community AS community\n"
        "ORDER BY score DESC LIMIT $n",
    ),
    Example(
        "Who relays a person but doesn't follow us",
        "MATCH (r:Person)-[x:RELAYS]->(p:Person {handle: $handle})\n"
        "WHERE NOT EXISTS { MATCH (r)-[:FOLLOWS]->(:Person {handle: $us}) }\n"
        "RETURN r.handle AS relayer, x.count AS relays, r.score AS score\n"
        "ORDER BY relays DESC LIMIT $n",
        note="$us is our own handle: these people already spread the person's posts but are not our followers.",
    ),
    Example(
        "Bridges between two communities",
        "MATCH (a:Person)-[:FOLLOWS]->(b:Person) WHERE a.community IN [$a, $b]\n"
        "WITH b, sum(CASE WHEN a.community = $a THEN 1 ELSE 0 END) AS from_a,\n"
        "        sum(CASE WHEN a.community = $b THEN 1 ELSE 0 END) AS from_b\n"
        "WHERE from_a > 0 AND from_b > 0\n"
        "RETURN b.handle AS bridge, b.community AS community, from_a, from_b\n"
        "ORDER BY from_a * from_b DESC LIMIT $n",
        note="People followed from both communities $a and $b.",
    ),
    Example(
        "Who relays a topic",
        "MATCH (r:Person)-[:RELAYED]->(p:Post) WHERE $tag IN p.hashtags\n"
        "RETURN r.handle AS relayer, count(*) AS relays, count(DISTINCT p.author) AS authors\n"
        "ORDER BY relays DESC LIMIT $n",
    ),
    Example(
        "Who relays a person (network)",
        _EGO,
        graph=True,
        note="Returns nodes and relationships, so the result is drawn as a network too.",
    ),
    Example(
        "Shortest follow path between two people",
        "MATCH p = (a:Person {handle: $handle})-[:FOLLOWS* SHORTEST 1..6]->(b:Person {handle: $to})\n"
        "RETURN length(p) AS hops, list_transform(nodes(p), n -> n.handle) AS path",
        "MATCH p = shortestPath((a:Person {handle: $handle})-[:FOLLOWS*..6]->(b:Person {handle: $to}))\n"
        "RETURN length(p) AS hops, [n IN nodes(p) | n.handle] AS path",
    ),
    Example(
        "Many followers, rarely relayed",
        "MATCH (p:Person) WHERE p.followers >= $min_followers\n"
        "RETURN p.handle AS handle, p.followers AS followers, p.relays_received AS relays\n"
        "ORDER BY relays ASC, followers DESC LIMIT $n",
        note="The million follower fallacy (Cha et al. 2010): followers say little about who gets relayed.",
    ),
    Example(
        "Relay activity per month",
        "MATCH (:Person)-[r:RELAYED]->(:Post) WHERE r.at IS NOT NULL\n"
        "RETURN date_trunc('month', r.at) AS month, count(*) AS relays ORDER BY month",
        "MATCH (:Person)-[r:RELAYED]->(:Post) WHERE r.at IS NOT NULL\n"
        "RETURN date.truncate('month', r.at) AS month, count(*) AS relays ORDER BY month",
    ),
    Example(
        "Relationship kinds and counts",
        "MATCH ()-[r]->() RETURN label(r) AS relationship, count(*) AS n ORDER BY n DESC",
        "MATCH ()-[r]->() RETURN type(r) AS relationship, count(*) AS n ORDER BY n DESC",
    ),
    Example(
        "Team pipeline: relationships by owner and stage",
        "MATCH (p:Person) WHERE p.stage IS NOT NULL\n"
        "RETURN p.owner AS owner, p.stage AS stage, count(*) AS people ORDER BY owner, stage",
    ),
    Example("Schema: tables", "CALL show_tables() RETURN *", "CALL db.labels()"),
)


def dialect_key(dialect: str) -> str:
    """``neo4j`` for a Neo4j store's dialect name, else ``ladybug``.

    >>> dialect_key("Neo4j Cypher 5"), dialect_key("LadybugDB Cypher (Kùzu dialect)")
    ('neo4j', 'ladybug')
    """
    return "neo4j" if "neo4j" in dialect.lower() else "ladybug"


def query_for(title: str, dialect: str) -> str:
    """The text of the example called ``title`` in ``dialect`` (a key or a store's name).

    >>> "shortestPath" in query_for("Shortest follow path between two people", "Neo4j Cypher 5")
    True
    """
    for ex in EXAMPLES:
        if ex.title == title:
            return ex.text(dialect_key(dialect))
    raise KeyError(title)


def used_params(query: str) -> list[str]:
    """``$names`` a query uses, in order of first use (comments and strings ignored).

    >>> used_params("MATCH (p {handle: $handle}) WHERE p.x > $min // $not_this\\nRETURN '$nor' LIMIT $n")
    ['handle', 'min', 'n']
    """
    from graph.stores.tokens import params_in

    return params_in(query)


def default_params(people: pd.DataFrame | None = None, tags: list[str] | None = None) -> dict[str, object]:
    """Suggested parameter values from the data: the best-scored handle, the two
    largest communities, the most used hashtag.

    >>> p = pd.DataFrame({"handle": ["a", "b", "c"], "score": [1.0, 3.0, 2.0], "community": [0, 1, 1]})
    >>> d = default_params(p, ["#latteart"])
    >>> d["handle"], d["to"], d["us"], d["a"], d["b"], d["tag"], d["n"]
    ('b', 'c', 'c', 1, 0, '#latteart', 25)
    """
    out: dict[str, object] = {"n": 25, "min_followers": 100, "handle": "", "to": "", "us": "", "a": 0, "b": 1}
    out["tag"] = tags[0] if tags else "#coffee"
    if people is not None and len(people):
        ranked = people.sort_values("score", ascending=False) if "score" in people else people
        handles = ranked["handle"].astype(str).tolist()
        out["handle"] = handles[0]
        out["to"] = handles[min(1, len(handles) - 1)]
        out["us"] = handles[min(1, len(handles) - 1)]
        if "community" in people and people["community"].notna().any():
            top = people["community"].value_counts().index.tolist()
            out["a"], out["b"] = int(top[0]), int(top[min(1, len(top) - 1)])
    return out


def parse_params(text: str) -> dict[str, object]:
    """Query parameters from a JSON object (empty text means none).

    >>> parse_params('{"handle": "ana", "n": 10}'), parse_params("  ")
    ({'handle': 'ana', 'n': 10}, {})
    >>> parse_params("[1]")
    Traceback (most recent call last):
    ...
    ValueError: parameters must be a JSON object like {"n": 10}
    """
    import json

    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"parameters: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if not isinstance(value, dict):
        raise ValueError('parameters must be a JSON object like {"n": 10}')
    return value


def params_text(query: str, defaults: dict[str, object]) -> str:
    """JSON text of the parameters ``query`` uses, filled from ``defaults``.

    >>> params_text("MATCH (p {handle: $handle}) RETURN p LIMIT $n", {"handle": "ana", "n": 5, "x": 1})
    '{"handle": "ana", "n": 5}'
    """
    import json

    return json.dumps({k: defaults.get(k, "") for k in used_params(query)})
