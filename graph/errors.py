"""The product's own errors: what a user can act on, with a message written for them.

Everything the CLI and the app show as a plain one-line message is an
:class:`InfluenceError`; anything else is a bug and is reported as one
("internal error, please report", with the traceback under ``--debug``).

* :class:`LoadError`: bad input, with the place it was found (``file:line: field: problem``).
* :class:`StoreError`: the store could not do what was asked (unreachable, locked, timed out).
* :class:`QueryRefused`: an ad-hoc query was refused by the read-only guard.
* :class:`UsageError`: a request that cannot be done as asked (an unknown stage, a
  shortlist before any ranking, a person both included and excluded).

``LoadError`` and ``UsageError`` are also ``ValueError`` and ``StoreError`` is also a
``RuntimeError``, so callers that catch the built-in kinds keep working.
"""

from __future__ import annotations

__all__ = ["InfluenceError", "LoadError", "StoreError", "QueryRefused", "UsageError"]


class InfluenceError(Exception):
    """Base of every error whose message is meant for the user."""


class LoadError(InfluenceError, ValueError):
    """Bad input, with the place it was found: ``file:line: field: problem``.

    >>> str(LoadError("bad number", path="f.csv", line=3, field="count"))
    "f.csv:3: column 'count': bad number"
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path, self.line, self.field, self.reason = path, line, field, message
        where = ":".join(str(p) for p in (path, line) if p is not None)
        what = f"column '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}" if where else f"{what}{message}")


class StoreError(InfluenceError, RuntimeError):
    """A store could not do what was asked (unreachable, locked, timed out)."""


class QueryRefused(StoreError):
    """An ad-hoc query was refused by the read-only guard; the message says why."""


class UsageError(InfluenceError, ValueError):
    """A request that cannot be done as asked; the message says what to change.

    >>> isinstance(UsageError("stage: 'x' is not a stage"), ValueError)
    True
    """
