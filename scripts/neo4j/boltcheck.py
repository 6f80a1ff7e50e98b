"""Small helpers for ``scripts/neo4j-local`` (free port, password, Bolt readiness).

Usage (all output except ``free-port`` / ``gen-password`` goes to stderr)::

    python boltcheck.py free-port [PREFERRED]
    python boltcheck.py gen-password FILE
    python boltcheck.py wait PORT PASSWORD_FILE PID TIMEOUT_S

``wait`` polls ``bolt://127.0.0.1:PORT`` until it accepts the password from
PASSWORD_FILE (with the ``neo4j`` Python driver when importable, otherwise a raw
Bolt handshake), failing early if process PID dies, on an authentication error,
or after TIMEOUT_S seconds. The password is never printed.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import time

HOST = "127.0.0.1"


def log(msg: str) -> None:
    print(f"neo4j-local: {msg}", file=sys.stderr, flush=True)


def port_is_free(port: int) -> bool:
    """Return True when ``127.0.0.1:port`` can be bound right now.

    >>> port_is_free(0)
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # like the server's listener: a port with only TIME_WAIT leftovers is reusable
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port(preferred: int = 0) -> int:
    """Return ``preferred`` if it is free, else a free ephemeral loopback port.

    >>> 0 < free_port() < 65536
    True
    """
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gen_password(path: str) -> None:
    """Write a random 32-hex-char password to ``path`` with mode 600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(16) + "\n")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def bolt_handshake(port: int) -> bool:
    """Return True when a Bolt server on ``port`` agrees on a protocol version."""
    try:
        with socket.create_connection((HOST, port), timeout=2) as s:
            # magic 6060B017, then proposals: 5.0-5.8, 4.4, none, none
            s.sendall(bytes.fromhex("6060B0170008080500000404" + "00" * 8))
            reply = s.recv(4)
    except OSError:
        return False
    return len(reply) == 4 and reply != b"\x00\x00\x00\x00"


def wait(port: int, password_file: str, pid: int, timeout_s: float) -> int:
    with open(password_file) as f:
        password = f.read().strip()
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError
    except ImportError:
        GraphDatabase = None  # noqa: N806
    deadline = time.monotonic() + timeout_s
    uri = f"bolt://{HOST}:{port}"
    last_err = "no answer yet"
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            log(f"server process {pid} exited during startup")
            return 2
        if GraphDatabase is None:
            if bolt_handshake(port):
                log(f"Bolt handshake OK on {uri} (neo4j driver not installed; auth not checked)")
                return 0
        else:
            try:
                # HELLO/LOGON only: no Cypher, so the first query's warm-up is not paid here
                with GraphDatabase.driver(uri, auth=("neo4j", password), connection_timeout=2) as driver:
                    driver.verify_connectivity()
                    agent = driver.get_server_info().agent
                log(f"ready: {agent} on {uri}, authenticated as neo4j")
                return 0
            except AuthError:
                log(f"authentication FAILED on {uri} (password file {password_file})")
                return 3
            except Exception as exc:  # not up yet: ServiceUnavailable, OSError, ...
                last_err = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)
    log(f"timed out after {timeout_s:.0f}s waiting for Bolt on {uri} ({last_err})")
    return 1


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 64
    cmd, args = argv[0], argv[1:]
    if cmd == "free-port":
        print(free_port(int(args[0]) if args and args[0] else 0))
        return 0
    if cmd == "gen-password":
        gen_password(args[0])
        return 0
    if cmd == "wait":
        return wait(int(args[0]), args[1], int(args[2]), float(args[3]))
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
