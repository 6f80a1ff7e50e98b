"""Settings: one declared list (name, default, help) that everything reads.

:data:`SETTINGS` is the single source: :meth:`Settings.from_env` reads each one from
explicit overrides (CLI ``--setting NAME VALUE`` and options), then the environment,
then a ``.env`` file, then its default; ``influence settings`` prints them, the app's
Data page shows them and the README's table lists them (a test checks it).

Where the graph lives: with ``NEO4J_URI`` set (or ``store=neo4j``) in Neo4j, otherwise
in the embedded store under ``INFLUENCE_DATA_DIR`` (default ``.influence``). The
password is held in a :class:`Secret` whose ``repr`` and ``str`` never show it, and a
URI's user-info (``bolt://user:pw@host``) is never shown either.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph.errors import UsageError

__all__ = ["Secret", "Setting", "SETTINGS", "Settings", "Limits", "redact_uri", "settings_table"]


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

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Setting:
    """One named setting: its environment variable, default, type and help text."""

    name: str
    default: Any
    help: str
    env: str = ""
    kind: type = str
    choices: tuple[str, ...] = ()
    secret: bool = False

    @property
    def env_var(self) -> str:
        """``INFLUENCE_<NAME>`` unless the setting names its own (``NEO4J_URI``)."""
        return self.env or f"INFLUENCE_{self.name.upper()}"

    def parse(self, raw: Any, source: str) -> Any:
        """The value as its type, or a :class:`UsageError` naming where it came from.

        >>> Setting("max_rows", 1000, "row cap", kind=int).parse("50", "INFLUENCE_MAX_ROWS")
        50
        >>> Setting("max_rows", 1000, "row cap", kind=int).parse("lots", "INFLUENCE_MAX_ROWS")
        Traceback (most recent call last):
        ...
        graph.errors.UsageError: INFLUENCE_MAX_ROWS: 'lots' is not a whole number (max_rows: row cap)
        """
        if self.secret:
            return raw if isinstance(raw, Secret) else Secret(str(raw))
        if isinstance(raw, self.kind) and not (self.kind is int and isinstance(raw, bool)):
            value = raw
        else:
            text = str(raw).strip()
            try:
                if self.kind is bool:
                    value = _parse_bool(text)
                elif self.kind is Path:
                    value = Path(text)
                else:
                    value = self.kind(text)
            except ValueError:
                what = {int: "a whole number", float: "a number", bool: "true or false"}.get(self.kind, "valid")
                raise UsageError(f"{source}: {text!r} is not {what} ({self.name}: {self.help})") from None
        if self.choices and value not in self.choices:
            raise UsageError(f"{source}: {value!r} is not one of {', '.join(self.choices)} ({self.name})")
        if self.kind in (int, float) and value < 0:  # type: ignore[operator]
            raise UsageError(f"{source}: {value!r} must not be negative ({self.name})")
        return value


def _parse_bool(text: str) -> bool:
    low = text.lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(text)


#: Every setting, in the order ``influence settings`` and the README show them.
SETTINGS: tuple[Setting, ...] = (
    Setting("store", "auto", "Where the graph lives: auto (Neo4j when NEO4J_URI is set), embedded or neo4j",
            choices=("auto", "embedded", "neo4j")),
    Setting("data_dir", Path(".influence"), "Folder of the embedded store", kind=Path),
    Setting("neo4j_uri", "", "Bolt URI of the Neo4j server, e.g. bolt://127.0.0.1:7687", env="NEO4J_URI"),
    Setting("neo4j_username", "neo4j", "Neo4j user", env="NEO4J_USERNAME"),
    Setting("neo4j_password", "", "Neo4j password (never printed)", env="NEO4J_PASSWORD", secret=True),
    Setting("neo4j_database", "neo4j", "Neo4j database name", env="NEO4J_DATABASE"),
    Setting("cypher_timeout_s", 10.0, "Ad-hoc Cypher: seconds before a query is stopped", kind=float),
    Setting("max_rows", 1000, "Ad-hoc Cypher: most rows a query returns", kind=int),
    Setting("query_memory_mb", 512, "Ad-hoc Cypher: memory a query's process may use beyond its start (MB)",
            kind=int),
    Setting("lock_timeout_s", 30.0, "Seconds a writer waits for another write (load, rank, tracking, clear)",
            kind=float),
    Setting("app_address", "127.0.0.1", "Address the app listens on (anything else needs INFLUENCE_APP_PASSWORD)"),
    Setting("app_password", "", "Password of the app's login when it listens beyond this machine", secret=True),
    Setting("upload_dirs", "", "Server folders the app's Data page may load from (os.pathsep-separated; "
            "empty: uploads only)"),
)  # fmt: skip
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Limits:
    """The limits a store enforces (datasette style: named, with defaults)."""

    cypher_timeout_s: float = 10.0  #: ad-hoc query time limit
    max_rows: int = 1000  #: ad-hoc query row cap
    lock_timeout_s: float = 30.0  #: how long a writer waits for the write lock
    query_memory_mb: int = 512  #: memory an ad-hoc query's child process may use


@dataclass(frozen=True)
class Settings:
    """Where the graph lives, the named limits and the app's exposure (see :data:`SETTINGS`)."""

    store: str = "auto"
    data_dir: Path = Path(".influence")
    neo4j_uri: str = ""
    neo4j_username: str = "neo4j"
    neo4j_password: Secret = field(default_factory=lambda: Secret(""))
    neo4j_database: str = "neo4j"
    cypher_timeout_s: float = 10.0
    max_rows: int = 1000
    query_memory_mb: int = 512
    lock_timeout_s: float = 30.0
    app_address: str = "127.0.0.1"
    app_password: Secret = field(default_factory=lambda: Secret(""))
    upload_dirs: str = ""
    #: where each value came from (``default``, ``.env``, an environment variable, ``option``)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        dotenv: str | Path | None = ".env",
        **overrides: object,
    ) -> Settings:
        """Read every setting; ``overrides`` (CLI options) win over the environment,
        which wins over ``.env``, which wins over the default.

        >>> Settings.from_env({"NEO4J_URI": "bolt://h:7687", "NEO4J_PASSWORD": "pw"}, dotenv=None).kind
        'neo4j'
        >>> s = Settings.from_env({"INFLUENCE_MAX_ROWS": "50"}, dotenv=None, cypher_timeout_s="2.5")
        >>> s.kind, s.limits.max_rows, s.limits.cypher_timeout_s, s.sources["max_rows"]
        ('embedded', 50, 2.5, 'INFLUENCE_MAX_ROWS')
        """
        unknown = sorted(set(overrides) - set(_BY_NAME))
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(unknown)} (known: {', '.join(_BY_NAME)})")
        file_values: dict[str, str] = {}
        if dotenv is not None and Path(dotenv).is_file():
            from dotenv import dotenv_values

            file_values = {k: v for k, v in dotenv_values(dotenv).items() if v is not None}
        environ = os.environ if env is None else env
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for s in SETTINGS:
            if overrides.get(s.name) is not None:
                raw, source = overrides[s.name], "option"
            elif environ.get(s.env_var, "") != "":
                raw, source = environ[s.env_var], s.env_var
            elif file_values.get(s.env_var, "") != "":
                raw, source = file_values[s.env_var], f".env {s.env_var}"
            else:
                values[s.name], sources[s.name] = s.parse(s.default, "default"), "default"
                continue
            values[s.name], sources[s.name] = s.parse(raw, source), source
        return cls(**values, sources=sources)

    @property
    def kind(self) -> str:
        """``neo4j`` or ``embedded``: which store :func:`graph.stores.connect.open_store` opens."""
        if self.store in ("neo4j", "embedded"):
            return self.store
        return "neo4j" if self.neo4j_uri else "embedded"

    @property
    def limits(self) -> Limits:
        return Limits(
            cypher_timeout_s=self.cypher_timeout_s,
            max_rows=self.max_rows,
            lock_timeout_s=self.lock_timeout_s,
            query_memory_mb=self.query_memory_mb,
        )

    def describe(self) -> str:
        """One line for users; never includes a password (not even one inside the URI).

        >>> Settings(store="neo4j", neo4j_uri="bolt://ann:pw@db:7687").describe()
        'Neo4j at bolt://db:7687 (database neo4j, user neo4j)'
        """
        if self.kind == "neo4j":
            where = redact_uri(self.neo4j_uri) or "(no NEO4J_URI set)"
            return f"Neo4j at {where} (database {self.neo4j_database}, user {self.neo4j_username})"
        return f"embedded store (LadybugDB) in {self.data_dir}"


def redact_uri(uri: str) -> str:
    """The URI without user-info (``user:password@``) and query string.

    >>> redact_uri("neo4j+s://ann:secret@db.example.com:7687/?x=1")
    'neo4j+s://db.example.com:7687/'
    >>> redact_uri("not a uri")
    'not a uri'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "(unreadable URI)"
    if not parts.scheme or not parts.netloc:
        return uri.split("@")[-1]
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def settings_table(settings: Settings) -> list[dict[str, str]]:
    """Rows ``setting, value, source, environment, help`` for people (secrets masked).

    >>> rows = settings_table(Settings.from_env({"NEO4J_PASSWORD": "pw"}, dotenv=None))
    >>> [r["value"] for r in rows if r["setting"] == "neo4j_password"]
    ['***']
    """
    rows = []
    for f in fields(settings):
        s = _BY_NAME.get(f.name)
        if s is None:
            continue
        value = getattr(settings, f.name)
        shown = ("***" if value else "") if s.secret else redact_uri(value) if f.name == "neo4j_uri" else str(value)
        rows.append({"setting": s.name, "value": shown, "source": settings.sources.get(s.name, "default"),
                     "environment": s.env_var, "help": s.help})  # fmt: skip
    return rows
