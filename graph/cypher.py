"""All Cypher text of the stores, in one place; values always go in as ``$parameters``.

Two dialects: ``LB_*`` for the embedded LadybugDB store, ``NEO_*`` for Neo4j
(added by the Neo4j store). Labels and relationship types are never built
from input: they come from the allow-list :data:`REL_TYPES`.
"""

from __future__ import annotations

from graph.model import METRICS

__all__ = ["REL_TYPES", "LB_SCHEMA", "PERSON_PROPS", "POST_PROPS"]

#: edge kind -> relationship type (allow-list)
REL_TYPES = {"follows": "FOLLOWS", "relays": "RELAYS", "mentions": "MENTIONS"}

_INT_METRICS = {"followers", "kshell"}

#: Person properties and their LadybugDB types (Neo4j is schemaless; same names).
PERSON_PROPS: dict[str, str] = {
    "pid": "STRING",
    "platform": "STRING",
    "handle": "STRING",
    "name": "STRING",
    "bio": "STRING",
    "followers_count": "INT64",
    "topics": "STRING[]",
    **{m: ("INT64" if m in _INT_METRICS else "DOUBLE") for m in METRICS},
    "community": "INT64",
    "score": "DOUBLE",
    "owner": "STRING",
    "stage": "STRING",
    "notes": "STRING",
    "last_contact": "STRING",
    "locked": "BOOLEAN",
}
POST_PROPS: dict[str, str] = {
    "post_id": "STRING",
    "author": "STRING",
    "created_at": "TIMESTAMP",
    "hashtags": "STRING[]",
    "text": "STRING",
}


def _cols(props: dict[str, str]) -> str:
    return ", ".join(f"{k} {t}" for k, t in props.items())


LB_SCHEMA: tuple[str, ...] = (
    f"CREATE NODE TABLE IF NOT EXISTS Person({_cols(PERSON_PROPS)}, PRIMARY KEY(pid))",
    f"CREATE NODE TABLE IF NOT EXISTS Post({_cols(POST_PROPS)}, PRIMARY KEY(post_id))",
    "CREATE REL TABLE IF NOT EXISTS FOLLOWS(FROM Person TO Person)",
    "CREATE REL TABLE IF NOT EXISTS AUTHORED(FROM Person TO Post)",
    "CREATE REL TABLE IF NOT EXISTS RELAYED(FROM Person TO Post, kind STRING, at TIMESTAMP)",
    "CREATE REL TABLE IF NOT EXISTS RELAYS(FROM Person TO Person, count INT64, first_at TIMESTAMP, last_at TIMESTAMP)",
    "CREATE REL TABLE IF NOT EXISTS MENTIONS(FROM Person TO Person, count INT64)",
)

# -- embedded (LadybugDB) ---------------------------------------------------------
# ``LOAD FROM $df`` / ``COPY T FROM $df`` scan a pandas DataFrame passed as a parameter.
LB_COUNTS = {
    "people": "MATCH (p:Person) RETURN count(p)",
    "posts": "MATCH (p:Post) RETURN count(p)",
    "follows": "MATCH ()-[r:FOLLOWS]->() RETURN count(r)",
    "authored": "MATCH ()-[r:AUTHORED]->() RETURN count(r)",
    "relayed": "MATCH ()-[r:RELAYED]->() RETURN count(r)",
    "relays": "MATCH ()-[r:RELAYS]->() RETURN count(r)",
    "mentions": "MATCH ()-[r:MENTIONS]->() RETURN count(r)",
}
LB_ALL_PIDS = "MATCH (p:Person) RETURN p.pid AS pid"
LB_ALL_POST_IDS = "MATCH (p:Post) RETURN p.post_id AS post_id"
LB_NODE_OFFSETS = "MATCH (p:Person) RETURN offset(id(p)) AS o, p.pid AS pid"
LB_EDGE_OFFSETS = {
    "follows": "MATCH (a:Person)-[r:FOLLOWS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, 1.0 AS w",
    "relays": "MATCH (a:Person)-[r:RELAYS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, CAST(r.count, 'DOUBLE') AS w",
    "mentions": "MATCH (a:Person)-[r:MENTIONS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, CAST(r.count, 'DOUBLE') AS w",
}
LB_EDGE_PAIRS = {
    "follows": "MATCH (a:Person)-[r:FOLLOWS]->(b:Person) RETURN a.pid AS source, b.pid AS target",
    "relays": "MATCH (a:Person)-[r:RELAYS]->(b:Person) RETURN a.pid AS source, b.pid AS target, r.count AS count, r.first_at AS first_at, r.last_at AS last_at",
    "mentions": "MATCH (a:Person)-[r:MENTIONS]->(b:Person) RETURN a.pid AS source, b.pid AS target, r.count AS count",
}
LB_RELAYED_KEYS = "MATCH (a:Person)-[r:RELAYED]->(p:Post) RETURN a.pid AS person, p.post_id AS post_id"
LB_RELAY_EVENTS = (
    "MATCH (a:Person)-[r:RELAYED]->(p:Post) "
    "RETURN a.pid AS person, p.post_id AS post_id, p.author AS author, r.kind AS kind, r.at AS at"
)
LB_POSTS = "MATCH (p:Post) RETURN p.post_id AS post_id, p.author AS author, p.created_at AS created_at, p.hashtags AS hashtags"
LB_PEOPLE = "MATCH (p:Person) RETURN p.* ORDER BY p.pid"
LB_PEOPLE_IN = "MATCH (p:Person) WHERE p.pid IN $pids RETURN p.* ORDER BY p.pid"
LB_COPY = {
    "Person": "COPY Person({cols}) FROM $df",
    "Post": "COPY Post({cols}) FROM $df",
    "FOLLOWS": "COPY FOLLOWS FROM $df",
    "AUTHORED": "COPY AUTHORED FROM $df",
    "RELAYED": "COPY RELAYED FROM $df",
    "RELAYS": "COPY RELAYS FROM $df",
    "MENTIONS": "COPY MENTIONS FROM $df",
}
# set-clauses below are built from PERSON_PROPS names only (allow-list), never input
LB_UPDATE_PEOPLE = "LOAD FROM $df MATCH (p:Person {{pid: pid}}) SET {sets}"
LB_SET_RELAYS = (
    "LOAD FROM $df MATCH (a:Person {pid: source})-[r:RELAYS]->(b:Person {pid: target}) "
    "SET r.count = count, r.first_at = first_at, r.last_at = last_at"
)
LB_SET_MENTIONS = (
    "LOAD FROM $df MATCH (a:Person {pid: source})-[r:MENTIONS]->(b:Person {pid: target}) "
    "SET r.count = count"
)
LB_CLEAR = (
    "MATCH ()-[r:FOLLOWS]->() DELETE r",
    "MATCH ()-[r:RELAYS]->() DELETE r",
    "MATCH ()-[r:MENTIONS]->() DELETE r",
    "MATCH ()-[r:RELAYED]->() DELETE r",
    "MATCH ()-[r:AUTHORED]->() DELETE r",
    "MATCH (p:Post) DELETE p",
    "MATCH (p:Person) DELETE p",
)
