"""Settings from the environment (and a ``.env`` file), and opening the right store.

``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``:
when ``NEO4J_URI`` is set (or ``store="neo4j"``) the graph lives in Neo4j;
otherwise in the embedded store under ``INFLUENCE_DATA_DIR`` (default
``.influence``). The password is held in a :class:`Secret` whose ``repr`` and
``str`` never show it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.stores.base import Limits, Store, StoreError

__all__ = ["Secret", "Settings", "open_store"]


class Secret:
    """A string that does not print.

    >>> s = Secret("hunter2")
    >>> str(s), repr(s), s.reveal()
    ('***', "Secret('***')", 'hunter2')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return "***"

    def __repr__(self) -> str:
        return "Secret('***')"

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class Settings:
    """Where the graph lives and the named limits."""

    store: str = "auto"  #: auto | embedded | neo4j
    data_dir: Path = Path(".influence")
    neo4j_uri: str = ""
    neo4j_username: str = "neo4j"
    neo4j_password: Secret = field(default_factory=lambda: Secret(""))
    neo4j_database: str = "neo4j"
    limits: Limits = Limits()

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        dotenv: str | Path | None = ".env",
        **overrides: object,
    ) -> Settings:
        """Read settings; explicit ``overrides`` (e.g. CLI options) win over the environment,
        which wins over ``.env``.

        >>> Settings.from_env({"NEO4J_URI": "bolt://h:7687", "NEO4J_PASSWORD": "pw"}, dotenv=None).kind
        'neo4j'
        >>> Settings.from_env({}, dotenv=None).kind
        'embedded'
        """
        values: dict[str, str] = {}
        if dotenv is not None and Path(dotenv).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if env is None else env)
        kw: dict[str, object] = {
            "data_dir": Path(values.get("INFLUENCE_DATA_DIR") or ".influence"),
            "neo4j_uri": values.get("NEO4J_URI", ""),
            "neo4j_username": values.get("NEO4J_USERNAME", "neo4j"),
            "neo4j_password": Secret(values.get("NEO4J_PASSWORD", "")),
            "neo4j_database": values.get("NEO4J_DATABASE", "neo4j"),
            "store": values.get("INFLUENCE_STORE", "auto"),
        }
        kw.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(kw["data_dir"], str):
            kw["data_dir"] = Path(kw["data_dir"])  # type: ignore[arg-type]
        return cls(**kw)  # type: ignore[arg-type]

    @property
    def kind(self) -> str:
        """``neo4j`` or ``embedded``: which store :func:`open_store` opens."""
        if self.store in ("neo4j", "embedded"):
            return self.store
        return "neo4j" if self.neo4j_uri else "embedded"

    def describe(self) -> str:
        """One line for users; never includes the password."""
        if self.kind == "neo4j":
            return f"Neo4j at {self.neo4j_uri} (database {self.neo4j_database}, user {self.neo4j_username})"
        return f"embedded store (LadybugDB) in {self.data_dir}"


def open_store(settings: Settings) -> Store:
    """Open the store the settings describe."""
    if settings.kind == "neo4j":
        if not settings.neo4j_uri:
            raise StoreError("--store neo4j needs NEO4J_URI (and NEO4J_PASSWORD) in the environment or .env")
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore.connect(settings)
    from graph.stores.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, limits=settings.limits)
