"""Open the store that the settings describe."""

from __future__ import annotations

from graph.errors import StoreError
from graph.settings import Settings
from graph.stores.base import Store

__all__ = ["open_store"]


def open_store(settings: Settings) -> Store:
    """The Neo4j store when the settings say so, else the embedded store.

    >>> import tempfile
    >>> with open_store(Settings(data_dir=tempfile.mkdtemp())) as s:
    ...     s.name
    'embedded (LadybugDB)'
    """
    if settings.kind == "neo4j":
        if not settings.neo4j_uri:
            raise StoreError(
                "--store neo4j needs NEO4J_URI (and NEO4J_PASSWORD) in the environment or .env; "
                "`scripts/neo4j-local start` prints them for a local server"
            )
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore.connect(settings)
    from graph.stores.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, limits=settings.limits)
