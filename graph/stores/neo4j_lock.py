"""The cross-process write lock of the Neo4j store: one writer (load, rank, tracking,
clear) at a time, across every process and machine that shares the database.

Two loads of the same file at once used to both read "nothing there yet" and both
create the edges (59,847 follows instead of 39,909). Now a writer first takes the
lock:

* **Take**: create ``(:InfluenceLock {name: 'write', owner, client, job, since})`` in
  its own committed transaction. A uniqueness constraint on ``name``
  (:data:`graph.stores.cypher.NEO_SCHEMA`) lets only one such node exist, so a second
  writer's create fails at once.
* **Hold**: the same transaction creates a keeper node ``(:InfluenceLockKeeper {owner})``,
  and the holder keeps one more transaction open that write-locks it. (Not the lock
  node itself: a second writer's uniqueness check would then wait for that lock
  instead of failing.) If the holder dies (SIGKILL, a dropped connection), the server
  rolls that transaction back and the keeper is no longer locked by anyone.
* **Stale rule**: a waiter that finds a lock node older than :data:`GRACE_S` tries to
  write-lock its keeper within :data:`PROBE_S`. Only if it can is the holder gone; it
  then deletes both nodes (in that same transaction) and takes the lock itself. A
  live holder's keeper cannot be locked, so a live lock is never broken.
* **Wait**: otherwise the waiter retries until ``lock_timeout_s`` and then refuses
  with one line naming the holder, its job and since when.
* **Release**: the holder deletes both nodes in the holding transaction and commits.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any

from graph.errors import StoreError
from graph.stores import cypher as q

__all__ = ["WriteLock", "GRACE_S", "PROBE_S"]

#: a lock node younger than this is never probed (its holder is still taking hold)
GRACE_S = 5
#: how long a waiter tries to write-lock a lock node to learn whether its holder lives
PROBE_S = 2.0
_POLL_S = 0.5


class WriteLock:
    """The ``write`` lock node of one Neo4j database (see the module docstring)."""

    def __init__(self, driver: Any, database: str, *, timeout_s: float, name: str = "write") -> None:
        self.driver, self.database, self.timeout_s, self.name = driver, database, timeout_s, name
        self.client = f"{socket.gethostname()}:{os.getpid()}"
        self._owner: str | None = None
        self._session: Any = None
        self._tx: Any = None

    def acquire(self, job: str) -> None:
        """Take the lock for ``job`` (load, rank, …) or raise :class:`StoreError` after
        ``timeout_s``."""
        deadline = time.monotonic() + self.timeout_s
        owner = uuid.uuid4().hex
        while True:
            if self._take(owner, job):
                self._hold(owner)
                return
            holder = self._holder()
            if holder is None:
                continue  # released between our attempt and the look
            if holder["old"] and self._gone(holder["owner"]):
                continue
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"another {holder['job'] or 'write'} ({holder['client']}, since {holder['since'][:19]}) is "
                    f"writing to this Neo4j graph; waited {self.timeout_s:g}s (setting lock_timeout_s): "
                    "try again when it has finished"
                )
            time.sleep(_POLL_S)

    def release(self) -> None:
        owner, tx, session = self._owner, self._tx, self._session
        self._owner = self._tx = self._session = None
        if owner is None:
            return
        try:
            tx.run(q.NEO_LOCK_DROP, name=self.name, owner=owner).consume()
            tx.commit()
        except Exception:  # the holding connection broke: drop the node on a fresh one
            try:
                self._auto(q.NEO_LOCK_DROP, name=self.name, owner=owner)
            except Exception:  # the next writer finds it stale and removes it
                pass
        finally:
            session.close()

    @property
    def held(self) -> bool:
        return self._owner is not None

    # -- steps ------------------------------------------------------------------------------
    def _auto(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """One statement in its own transaction, which waits at most :data:`PROBE_S` for a lock."""
        with self.driver.session(database=self.database) as s:
            tx = s.begin_transaction(timeout=PROBE_S)
            try:
                rows = [r.data() for r in tx.run(text, params)]
                tx.commit()
                return rows
            finally:
                tx.close()

    def _take(self, owner: str, job: str) -> bool:
        from neo4j.exceptions import ConstraintError, Neo4jError

        try:
            self._auto(q.NEO_LOCK_TAKE, name=self.name, owner=owner, client=self.client, job=job)
        except ConstraintError:
            return False
        except Neo4jError as exc:  # waited too long for another writer's take or release
            if any(w in (exc.code or "") for w in ("Terminated", "LockClientStopped", "TimedOut")):
                return False
            raise
        return True

    def _hold(self, owner: str) -> None:
        session = self.driver.session(database=self.database)
        try:
            tx = session.begin_transaction()
            tx.run(q.NEO_LOCK_HOLD, owner=owner).consume()
        except BaseException:
            session.close()
            self._auto(q.NEO_LOCK_DROP, name=self.name, owner=owner)
            raise
        self._owner, self._session, self._tx = owner, session, tx

    def _holder(self) -> dict[str, Any] | None:
        rows = self._auto(q.NEO_LOCK_HOLDER, name=self.name, grace=GRACE_S)
        return rows[0] if rows else None

    def _gone(self, owner: str) -> bool:
        """Whether the holder ``owner`` died: its keeper node can be write-locked now (or
        is gone). If so, delete both nodes in the same transaction."""
        from neo4j.exceptions import Neo4jError

        with self.driver.session(database=self.database) as s:
            tx = s.begin_transaction(timeout=PROBE_S)
            try:
                tx.run(q.NEO_LOCK_PROBE, owner=owner).consume()  # waits while the holder lives
                tx.run(q.NEO_LOCK_DROP, name=self.name, owner=owner).consume()  # no keeper: stale too
                tx.commit()
                return True
            except Neo4jError:  # terminated while waiting: the holder lives
                return False
            finally:
                tx.close()
