"""All Cypher text of the stores, in one place; values always go in as ``$parameters``.

Two dialects: ``LB_*`` for the embedded LadybugDB store, ``NEO_*`` for Neo4j
(added by the Neo4j store). Labels and relationship types are never built
from input: they come from the allow-list :data:`REL_TYPES`.
"""

from __future__ import annotations

from graph.model import METRICS

__all__ = ["REL_TYPES", "LB_SCHEMA", "PERSON_PROPS", "POST_PROPS"]

#: edge kind -> relationship type (allow-list)
REL_TYPES = {"follows": "FOLLOWS", "relays": "RELAYS", "mentions": "MENTIONS", "replies": "REPLIES"}

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
    "extra": "STRING",
    **{m: ("INT64" if m in _INT_METRICS else "DOUBLE") for m in METRICS},
    "community": "INT64",
    "score": "DOUBLE",
    "owner": "STRING",
    "stage": "STRING",
    "notes": "STRING",
    "last_contact": "STRING",
    "locked": "BOOLEAN",
    "sl_rank": "INT64",
    "sl_method": "STRING",
    "sl_gain": "DOUBLE",
    "sl_reason": "STRING",
    "sl_flags": "STRING",
    "sl_built_at": "STRING",
    "removed": "BOOLEAN",
    "removed_by": "STRING",
    "removed_at": "STRING",
    "our_role": "STRING",
    "our_member": "STRING",
}
POST_PROPS: dict[str, str] = {
    "post_id": "STRING",
    "author": "STRING",
    "created_at": "TIMESTAMP",
    "hashtags": "STRING[]",
    "text": "STRING",
    "reply_to": "STRING",
    "likes": "INT64",
    "reposts": "INT64",
    "replies": "INT64",
    "quotes": "INT64",
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
    "CREATE REL TABLE IF NOT EXISTS REPLIES(FROM Person TO Person, count INT64, first_at TIMESTAMP, last_at TIMESTAMP)",
    # a store made by an earlier version gets the properties added since (no-op otherwise)
    *(f"ALTER TABLE Person ADD IF NOT EXISTS {k} {t}" for k, t in PERSON_PROPS.items() if k != "pid"),
    *(f"ALTER TABLE Post ADD IF NOT EXISTS {k} {t}" for k, t in POST_PROPS.items() if k != "post_id"),
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
    "replies": "MATCH ()-[r:REPLIES]->() RETURN count(r)",
}
LB_ALL_PIDS = "MATCH (p:Person) RETURN p.pid AS pid"
LB_ALL_POST_IDS = "MATCH (p:Post) RETURN p.post_id AS post_id"
LB_NODE_OFFSETS = "MATCH (p:Person) RETURN offset(id(p)) AS o, p.pid AS pid"
LB_EDGE_OFFSETS = {
    "follows": "MATCH (a:Person)-[r:FOLLOWS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, 1.0 AS w",
    "relays": "MATCH (a:Person)-[r:RELAYS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, CAST(r.count, 'DOUBLE') AS w",
    "mentions": "MATCH (a:Person)-[r:MENTIONS]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, CAST(r.count, 'DOUBLE') AS w",
    "replies": "MATCH (a:Person)-[r:REPLIES]->(b:Person) RETURN offset(id(a)) AS s, offset(id(b)) AS d, CAST(r.count, 'DOUBLE') AS w",
}
LB_EDGE_PAIRS = {
    "follows": "MATCH (a:Person)-[r:FOLLOWS]->(b:Person) RETURN a.pid AS source, b.pid AS target",
    "relays": "MATCH (a:Person)-[r:RELAYS]->(b:Person) RETURN a.pid AS source, b.pid AS target, r.count AS count, r.first_at AS first_at, r.last_at AS last_at",
    "mentions": "MATCH (a:Person)-[r:MENTIONS]->(b:Person) RETURN a.pid AS source, b.pid AS target, r.count AS count",
    "replies": "MATCH (a:Person)-[r:REPLIES]->(b:Person) RETURN a.pid AS source, b.pid AS target, r.count AS count, r.first_at AS first_at, r.last_at AS last_at",
}
LB_RELAYED_KEYS = "MATCH (a:Person)-[r:RELAYED]->(p:Post) RETURN a.pid AS person, p.post_id AS post_id"
LB_RELAY_EVENTS = (
    "MATCH (a:Person)-[r:RELAYED]->(p:Post) "
    "RETURN a.pid AS person, p.post_id AS post_id, p.author AS author, r.kind AS kind, r.at AS at"
)
LB_POSTS = "MATCH (p:Post) RETURN p.post_id AS post_id, p.author AS author, p.created_at AS created_at, p.hashtags AS hashtags"
LB_POSTS_TEXT = (
    "MATCH (p:Post) RETURN p.post_id AS post_id, p.author AS author, p.created_at AS created_at, "
    "p.hashtags AS hashtags, p.text AS text"
)
#: everyone: sorted by pid in Arrow afterwards (the engine's ORDER BY costs 0.9 s at 1M, Arrow 0.3 s)
LB_PEOPLE = "MATCH (p:Person) RETURN p.*"
#: by primary key, one lookup per pid (``WHERE p.pid IN $pids`` scans everyone: 1.4 s at 1M
#: people against 0.01 s); the caller passes each pid once
LB_PEOPLE_IN = "UNWIND $pids AS x MATCH (p:Person {pid: x}) RETURN p.* ORDER BY p.pid"
LB_COPY = {
    "Person": "COPY Person({cols}) FROM $df",
    "Post": "COPY Post({cols}) FROM $df",
    "FOLLOWS": "COPY FOLLOWS FROM $df",
    "AUTHORED": "COPY AUTHORED FROM $df",
    "RELAYED": "COPY RELAYED FROM $df",
    "RELAYS": "COPY RELAYS FROM $df",
    "MENTIONS": "COPY MENTIONS FROM $df",
    "REPLIES": "COPY REPLIES FROM $df",
}
# set-clauses below are built from PERSON_PROPS names only (allow-list), never input
#: rank replaces a score column whole ({name}/{type} from PERSON_PROPS; {default} is
#: empty or `` DEFAULT <int>`` / `` DEFAULT CAST('<repr of a float>' AS DOUBLE)``)
LB_DROP_PERSON_COLUMN = "ALTER TABLE Person DROP {name}"
LB_ADD_PERSON_COLUMN = "ALTER TABLE Person ADD {name} {type}{default}"
LB_UPDATE_PEOPLE = "LOAD FROM $df MATCH (p:Person {{pid: pid}}) SET {sets}"
LB_SET_RELAYS = (
    "LOAD FROM $df MATCH (a:Person {pid: source})-[r:RELAYS]->(b:Person {pid: target}) "
    "SET r.count = count, r.first_at = first_at, r.last_at = last_at"
)
LB_SET_REPLIES = (
    "LOAD FROM $df MATCH (a:Person {pid: source})-[r:REPLIES]->(b:Person {pid: target}) "
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
    "MATCH ()-[r:REPLIES]->() DELETE r",
    "MATCH ()-[r:RELAYED]->() DELETE r",
    "MATCH ()-[r:AUTHORED]->() DELETE r",
    "MATCH (p:Post) DELETE p",
    "MATCH (p:Person) DELETE p",
)

# -- Neo4j (graph.stores.neo4j) ----------------------------------------------------
# Bulk writes are ``UNWIND`` over parallel lists (cheaper to send than lists of maps)
# and find nodes by internal id (``id(n)``, a NodeByIdSeek). Internal ids are only
# ever used inside the transaction that looked them up: Neo4j may reuse them later.
# Bulk reads ``collect`` per node (or per chunk of nodes), so one Bolt record carries
# many values: per-record decoding in the Python driver costs ~25 µs, per value ~1 µs.
NEO_SCHEMA: tuple[str, ...] = (
    "CREATE CONSTRAINT person_pid IF NOT EXISTS FOR (p:Person) REQUIRE p.pid IS UNIQUE",
    "CREATE CONSTRAINT post_post_id IF NOT EXISTS FOR (p:Post) REQUIRE p.post_id IS UNIQUE",
    "CREATE INDEX person_score IF NOT EXISTS FOR (p:Person) ON (p.score)",
    "CREATE INDEX person_handle IF NOT EXISTS FOR (p:Person) ON (p.handle)",
    "CREATE CONSTRAINT influence_lock_name IF NOT EXISTS FOR (l:InfluenceLock) REQUIRE l.name IS UNIQUE",
)
NEO_COUNTS = {
    "people": "MATCH (n:Person) RETURN count(n)",
    "posts": "MATCH (n:Post) RETURN count(n)",
    "follows": "MATCH ()-[r:FOLLOWS]->() RETURN count(r)",
    "authored": "MATCH ()-[r:AUTHORED]->() RETURN count(r)",
    "relayed": "MATCH ()-[r:RELAYED]->() RETURN count(r)",
    "relays": "MATCH ()-[r:RELAYS]->() RETURN count(r)",
    "mentions": "MATCH ()-[r:MENTIONS]->() RETURN count(r)",
    "replies": "MATCH ()-[r:REPLIES]->() RETURN count(r)",
}
NEO_ANY_PERSON = "MATCH (n:Person) RETURN n.pid LIMIT 1"
#: internal id and key of every node, in chunks: RETURN ids, keys
NEO_NODE_IDS = {
    "Person": "MATCH (n:Person) WHERE n.pid IS NOT NULL "
    "WITH id(n) / 4096 AS k, collect(id(n)) AS ids, collect(n.pid) AS keys RETURN ids, keys",
    "Post": "MATCH (n:Post) WHERE n.post_id IS NOT NULL "
    "WITH id(n) / 4096 AS k, collect(id(n)) AS ids, collect(n.post_id) AS keys, "
    "collect(coalesce(n.author, '')) AS authors RETURN ids, keys, authors",
}
#: edges in chunks of source ids (a few hundred records, not one per source or per edge):
#: RETURN s, d (aligned lists of internal ids), then aligned property lists. Measured on
#: 81k people / 200k follows (local 5.26, 2 cores): 0.9-1.1 s; one record per source 2.6-4.2 s;
#: one record per edge 6.8-8.1 s.
_CHUNK = "WITH id(a) / 4096 AS k, collect(id(a)) AS s, collect(id(b)) AS d"
NEO_EDGE_IDS = {
    "follows": f"MATCH (a:Person)-[r:FOLLOWS]->(b:Person) {_CHUNK} RETURN s, d",
    "relays": f"MATCH (a:Person)-[r:RELAYS]->(b:Person) {_CHUNK}, "
    "collect(coalesce(r.count, 1)) AS count, collect(coalesce(toString(r.first_at), '')) AS first_at, "
    "collect(coalesce(toString(r.last_at), '')) AS last_at RETURN s, d, count, first_at, last_at",
    "mentions": f"MATCH (a:Person)-[r:MENTIONS]->(b:Person) {_CHUNK}, "
    "collect(coalesce(r.count, 1)) AS count RETURN s, d, count",
    "replies": f"MATCH (a:Person)-[r:REPLIES]->(b:Person) {_CHUNK}, "
    "collect(coalesce(r.count, 1)) AS count, collect(coalesce(toString(r.first_at), '')) AS first_at, "
    "collect(coalesce(toString(r.last_at), '')) AS last_at RETURN s, d, count, first_at, last_at",
    "relayed": f"MATCH (a:Person)-[r:RELAYED]->(b:Post) {_CHUNK}, "
    "collect(coalesce(r.kind, '')) AS kind, collect(coalesce(toString(r.at), '')) AS at "
    "RETURN s, d, kind, at",
}
NEO_POSTS = (
    "MATCH (p:Post) WITH id(p) / 4096 AS k, collect([p.post_id, p.author, toString(p.created_at), "
    "p.hashtags]) AS rows RETURN rows"
)
NEO_POSTS_TEXT = (
    "MATCH (p:Post) WITH id(p) / 4096 AS k, collect([p.post_id, p.author, toString(p.created_at), "
    "p.hashtags, p.text]) AS rows RETURN rows"
)
#: people: one list per person, in PERSON_PROPS order (names from the allow-list)
_PERSON_LIST = ", ".join(f"p.{name}" for name in PERSON_PROPS)
NEO_PEOPLE = f"MATCH (p:Person) WITH id(p) / 4096 AS k, collect([{_PERSON_LIST}]) AS rows RETURN rows"
NEO_PEOPLE_IN = (
    "MATCH (p:Person) WHERE p.pid IN $pids "
    f"WITH id(p) / 4096 AS k, collect([{_PERSON_LIST}]) AS rows RETURN rows"
)
#: create nodes from a list of property maps; returns their ids and keys
NEO_CREATE_NODES = {
    "Person": "UNWIND $rows AS row CREATE (n:Person) SET n = row RETURN collect(id(n)) AS ids, collect(n.pid) AS keys",
    "Post": "UNWIND $rows AS row CREATE (n:Post) SET n = row RETURN collect(id(n)) AS ids, collect(n.post_id) AS keys",
}
#: relationships without properties, grouped by source: $s ids, $d lists of ids;
#: the new relationships' ids come back (to undo a load committed in parts)
NEO_CREATE_GROUPED = {
    "FOLLOWS": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "UNWIND $d[i] AS t MATCH (b) WHERE id(b) = t CREATE (a)-[r:FOLLOWS]->(b) RETURN collect(id(r)) AS ids",
    "AUTHORED": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "UNWIND $d[i] AS t MATCH (b) WHERE id(b) = t CREATE (a)-[r:AUTHORED]->(b) RETURN collect(id(r)) AS ids",
}
#: relationships with properties: parallel lists $s, $d and one list per property
NEO_CREATE_FLAT = {
    "RELAYED": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (b) WHERE id(b) = $d[i] CREATE (a)-[r:RELAYED {kind: $kind[i], at: $at[i]}]->(b) "
    "RETURN collect(id(r)) AS ids",
    "RELAYS": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (b) WHERE id(b) = $d[i] "
    "CREATE (a)-[r:RELAYS {count: $count[i], first_at: $first_at[i], last_at: $last_at[i]}]->(b) "
    "RETURN collect(id(r)) AS ids",
    "MENTIONS": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (b) WHERE id(b) = $d[i] CREATE (a)-[r:MENTIONS {count: $count[i]}]->(b) "
    "RETURN collect(id(r)) AS ids",
    "REPLIES": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (b) WHERE id(b) = $d[i] "
    "CREATE (a)-[r:REPLIES {count: $count[i], first_at: $first_at[i], last_at: $last_at[i]}]->(b) "
    "RETURN collect(id(r)) AS ids",
}
NEO_SET_EDGES = {
    "set_relays": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (a)-[r:RELAYS]->(b) WHERE id(b) = $d[i] "
    "SET r.count = $count[i], r.first_at = $first_at[i], r.last_at = $last_at[i]",
    "set_mentions": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (a)-[r:MENTIONS]->(b) WHERE id(b) = $d[i] SET r.count = $count[i]",
    "set_replies": "UNWIND range(0, size($s) - 1) AS i MATCH (a) WHERE id(a) = $s[i] "
    "MATCH (a)-[r:REPLIES]->(b) WHERE id(b) = $d[i] "
    "SET r.count = $count[i], r.first_at = $first_at[i], r.last_at = $last_at[i]",
}
# {sets} is built from PERSON_PROPS names only (allow-list), never from input
NEO_UPDATE_PEOPLE = "UNWIND $rows AS row MATCH (p:Person {{pid: row.pid}}) SET {sets} RETURN count(p) AS n"
#: the same with one list per column (``p.x = $x[i]``): no map per row on the wire
#: after neo4j-admin import, which drops empty lists: set them again by key
#: ({label}/{key}/{prop} from PERSON_PROPS/POST_PROPS only)
NEO_SET_EMPTY_LIST = "UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) SET n.{prop} = []"
NEO_UPDATE_PEOPLE_COLUMNS = (
    "UNWIND range(0, size($pid) - 1) AS i MATCH (p:Person {{pid: $pid[i]}}) SET {sets} RETURN count(p) AS n"
)
#: clear(): relationships first in small transactions (DETACH DELETE of a dense node
#: in one go can exceed the server's transaction memory), then the nodes
NEO_CLEAR = (
    "MATCH (:Person)-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (n) WHERE n:Person OR n:Post CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (m:InfluenceLoad) DELETE m",
)
#: One ``InfluenceStamp`` node records the time of the last write by any process (loads,
#: scores, tracking, clear), so a running app sees what the CLI changed (``data_stamp``).
NEO_TOUCH = "MERGE (m:InfluenceStamp {key: 'data'}) SET m.at = timestamp(), m.writes = coalesce(m.writes, 0) + 1"
NEO_STAMP = "MATCH (m:InfluenceStamp {key: 'data'}) RETURN m.at, m.writes"
#: A load too large for one transaction commits in parts; while it runs, an
#: ``InfluenceLoad`` node says so (and stays behind if the loader is killed).
NEO_LOAD_START = (
    "CREATE (:InfluenceLoad {id: $id, key: $key, sources: $sources, rows: $rows, rows_committed: 0, "
    "client: $client, started_at: localdatetime()})"
)
NEO_LOAD_PROGRESS = "MATCH (m:InfluenceLoad {id: $id}) SET m.rows_committed = $done"
NEO_LOADS = (
    "MATCH (m:InfluenceLoad) RETURN m.id AS id, m.key AS key, m.sources AS sources, m.rows AS rows, "
    "m.rows_committed AS rows_committed, m.client AS client, toString(m.started_at) AS started_at"
)
NEO_LOAD_END = "MATCH (m:InfluenceLoad) WHERE m.id IN $ids DELETE m"
#: repair: delete all but one of the same relationship between the same two nodes (two
#: loads of one file at once used to both create the edges, before the write lock)
NEO_DEDUPE = {
    kind: f"MATCH (a)-[r:{rel}]->(b) WITH a, b, collect(r) AS rs WHERE size(rs) > 1 "
    "UNWIND tail(rs) AS extra DELETE extra RETURN count(*) AS n"
    for kind, rel in (("follows", "FOLLOWS"), ("relays", "RELAYS"), ("mentions", "MENTIONS"),
                      ("relayed", "RELAYED"))
}  # fmt: skip
#: undo the parts of a failed load that were already committed
NEO_UNDO_RELS = "UNWIND $ids AS i MATCH ()-[r]->() WHERE id(r) = i DELETE r"
NEO_UNDO_NODES = "UNWIND $ids AS i MATCH (n) WHERE id(n) = i DETACH DELETE n"
#: the cross-process write lock (graph.stores.neo4j_lock): a lock node unique by name, and
#: a keeper node that the holder's open transaction write-locks (a held lock node itself
#: would make the next writer's uniqueness check wait instead of fail)
NEO_LOCK_TAKE = (
    "CREATE (:InfluenceLock {name: $name, owner: $owner, client: $client, job: $job, since: datetime()}) "
    "CREATE (:InfluenceLockKeeper {owner: $owner})"
)
NEO_LOCK_HOLD = "MATCH (k:InfluenceLockKeeper {owner: $owner}) SET k.held = true"
NEO_LOCK_PROBE = "MATCH (k:InfluenceLockKeeper {owner: $owner}) SET k.probed = true RETURN count(k) AS n"
NEO_LOCK_HOLDER = (
    "MATCH (l:InfluenceLock {name: $name}) RETURN l.owner AS owner, l.client AS client, l.job AS job, "
    "toString(l.since) AS since, l.since < datetime() - duration({seconds: $grace}) AS old"
)
NEO_LOCK_DROP = (
    "OPTIONAL MATCH (l:InfluenceLock {name: $name, owner: $owner}) "
    "OPTIONAL MATCH (k:InfluenceLockKeeper {owner: $owner}) DELETE l, k"
)
