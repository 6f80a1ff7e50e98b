"""Who may reach the app, and which server files it may read.

* The app listens on ``127.0.0.1`` (setting ``app_address``). Listening beyond this
  machine is an explicit choice (``influence app --expose`` or another address) and
  needs a login password (``INFLUENCE_APP_PASSWORD``): :func:`exposure_refusal`.
* The login compares in constant time (:func:`password_matches`); the password is
  never shown.
* The Data page may load server paths only inside the folders of ``upload_dirs``,
  after resolving ``..`` and symlinks — including symlinks inside a folder it reads
  (:func:`server_path`).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from pathlib import Path

from graph.errors import UsageError
from graph.settings import Secret

__all__ = ["is_loopback", "exposure_refusal", "password_matches", "upload_roots", "server_path"]


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` is reachable from this machine only.

    >>> [is_loopback(a) for a in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "192.168.1.5", "", None)]
    [True, True, True, False, False, False, False]
    """
    if not address:
        return False  # Streamlit without an address listens on every interface
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_refusal(address: str | None, password: Secret | str) -> str | None:
    """Why the app must not listen on ``address`` (beyond this machine, no password), or None.

    >>> exposure_refusal("127.0.0.1", ""), exposure_refusal("0.0.0.0", Secret("pw"))
    (None, None)
    >>> exposure_refusal("0.0.0.0", "")
    'the app would listen on 0.0.0.0, beyond this machine, with no login: set INFLUENCE_APP_PASSWORD (the password of its login) first'
    """
    if is_loopback(address) or password:
        return None
    where = address or "every interface"
    return (
        f"the app would listen on {where}, beyond this machine, with no login: "
        "set INFLUENCE_APP_PASSWORD (the password of its login) first"
    )


def password_matches(given: str, password: Secret) -> bool:
    """Constant-time comparison with the configured password (never true when none is set).

    >>> password_matches("hunter2", Secret("hunter2")), password_matches("", Secret(""))
    (True, False)
    """
    expected = password.reveal()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def upload_roots(text: str) -> list[Path]:
    """The ``upload_dirs`` setting (``os.pathsep``-separated) as resolved folders."""
    return [Path(p).expanduser().resolve() for p in text.split(os.pathsep) if p.strip()]


def server_path(text: str, roots: list[Path]) -> Path:
    """``text`` resolved (``..`` and symlinks) if it lies inside one of ``roots`` and
    exists; a folder may not hold symlinks that lead outside them. Otherwise one line
    (:class:`UsageError`) that does not say whether a path outside exists.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()).resolve(); (root / "a.csv").write_text("x")
    1
    >>> server_path(str(root / "a.csv"), [root]) == root / "a.csv"
    True
    >>> server_path(str(root / ".." / "etc"), [root])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: .../etc is outside the folders the app may read (setting upload_dirs)
    """
    if not roots:
        raise UsageError(
            "loading from paths on the server is off: the app may read only the folders named in "
            "INFLUENCE_UPLOAD_DIRS (setting upload_dirs), and none is set; upload the files instead"
        )
    raw = Path(text.strip()).expanduser()
    candidates = [raw] if raw.is_absolute() else [root / raw for root in roots]
    for candidate in candidates:
        path = candidate.resolve()
        if not any(path.is_relative_to(root) for root in roots):
            continue
        if not path.exists():
            raise UsageError(f"not found on the server: {text.strip()}")
        if path.is_dir():
            _no_escaping_links(path, roots, text.strip())
        return path
    shown = text.strip() if raw.is_absolute() else str(candidates[0])
    raise UsageError(f"{shown} is outside the folders the app may read (setting upload_dirs)")


def _no_escaping_links(folder: Path, roots: list[Path], shown: str) -> None:
    for here, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            entry = Path(here) / name
            if entry.is_symlink() and not any(entry.resolve().is_relative_to(r) for r in roots):
                raise UsageError(
                    f"{shown}: {entry.name} links outside the folders the app may read (setting upload_dirs)"
                )

