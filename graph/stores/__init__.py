"""Where the graph lives: the :class:`~graph.stores.base.Store` interface, the read-only
guard, the load planner, the embedded (LadybugDB) and Neo4j stores and all their Cypher
text (:mod:`graph.stores.cypher`). Open one with :func:`graph.stores.connect.open_store`."""
