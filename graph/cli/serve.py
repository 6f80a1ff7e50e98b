"""``influence app`` and ``influence demo``: the Streamlit app on the current store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import click

from graph.cli.base import APP, SAMPLE_ACCOUNTS, SAMPLE_DATA, Ctx, friendly_errors, main, say, store_options


@main.command()
@click.option("--port", default=8501, show_default=True)
@click.option("--headless/--browser", default=True, show_default=True, help="Open a browser tab or not.")
@click.option("--expose", is_flag=True,
              help="Listen on every interface (0.0.0.0), beyond this machine; needs INFLUENCE_APP_PASSWORD.")  # fmt: skip
@store_options
@click.pass_obj
@friendly_errors
def app(obj: Ctx, port: int, headless: bool, expose: bool) -> None:
    """Start the Streamlit app on the current store (on 127.0.0.1 unless --expose).

    Listening beyond this machine (--expose, or a non-loopback app_address) needs a
    login password: INFLUENCE_APP_PASSWORD. Server paths on the Data page are
    limited to the folders in INFLUENCE_UPLOAD_DIRS.

    Once the server answers, the app runs once unseen (Streamlit's script health
    check) so the store is open and the Explore page's tables and drawing are cached
    before the first visitor; "caches warm" on stderr says when.

    \b
    Examples:
      influence app --port 8501
      INFLUENCE_APP_PASSWORD=… influence app --expose
    """
    from graph.access import exposure_refusal, is_loopback
    from graph.errors import UsageError

    settings = obj.settings
    address = "0.0.0.0" if expose and is_loopback(settings.app_address) else settings.app_address
    refusal = exposure_refusal(address, settings.app_password)
    if refusal:
        raise UsageError(refusal)
    check_port(address, port)
    say(f"store: {settings.describe()}")
    env = dict(os.environ)
    env.update(_settings_env(settings))
    env["INFLUENCE_DATA_DIR"] = str(settings.data_dir)
    env["INFLUENCE_APP_ADDRESS"] = address
    if settings.store != "auto":
        env["INFLUENCE_STORE"] = settings.store
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
        "--server.address", address,
        "--server.headless", str(headless).lower(), "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",  # no "Deploy" button or developer menu for the team
        "--server.scriptHealthCheckEnabled", "true",  # warm_up() runs the app once through it
    ]  # fmt: skip
    if not is_loopback(address):
        cmd += ["--client.showErrorDetails", "none"]  # no tracebacks for visitors
        say(f"app: listening on {address}:{port}, beyond this machine; every visitor signs in with the password")
    say(f"app: http://{address}:{port}")
    sys.exit(run_app(cmd, env, f"http://{_local(address)}:{port}"))


def run_app(cmd: list[str], env: dict[str, str], url: str) -> int:
    """Run the Streamlit server ``cmd`` until it stops, warming its caches meanwhile."""
    proc = subprocess.Popen(cmd, env=env)
    threading.Thread(target=warm_up, args=(url, proc.poll), daemon=True, name="warm-up").start()
    try:
        return proc.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the server too: let it stop
        return proc.wait()


def warm_up(url: str, stopped: Any = lambda: None, *, timeout: float = 120.0) -> float | None:
    """Once the app at ``url`` answers, run it once unseen through Streamlit's script
    health check (``server.scriptHealthCheckEnabled``): the store opens and every table
    and drawing the landing page needs is cached, in the server's own process, before
    the first visitor. Says how long it took; returns the seconds, or None if it failed
    (the first visitor then waits instead). ``stopped()`` is true once the server is gone.
    """
    t0 = time.perf_counter()
    while _get(f"{url}/_stcore/health", 2) != "ok":
        if stopped() is not None or time.perf_counter() - t0 > timeout:
            return None
        time.sleep(0.2)
    say("app: warming the caches (one unseen run of the app) …")
    t1 = time.perf_counter()
    answer = _get(f"{url}/_stcore/script-health-check", timeout)
    if answer != "ok":
        say(f"app: warming failed ({answer or 'no answer'}); the first visitor waits instead")
        return None
    seconds = time.perf_counter() - t1
    say(f"app: caches warm in {seconds:.1f}s; the first visit will not wait for them")
    return seconds


def _get(url: str, timeout: float) -> str | None:
    """The body of a GET, an error's body, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - our own server
            return r.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.read().decode(errors="replace") or str(exc.code)
    except OSError:
        return None


def _local(address: str) -> str:
    """How this machine reaches a server listening on ``address``.

    >>> _local("0.0.0.0"), _local("::"), _local("10.1.2.3"), _local("::1")
    ('127.0.0.1', '[::1]', '10.1.2.3', '[::1]')
    """
    if address in ("0.0.0.0", ""):
        return "127.0.0.1"
    if ":" in address:
        return "[::1]" if address == "::" else f"[{address}]"
    return address


def _settings_env(settings: Any) -> dict[str, str]:
    """Settings given as options (``--setting NAME VALUE``) as the app's environment."""
    from graph.settings import SETTINGS

    out = {}
    for s in SETTINGS:
        if settings.sources.get(s.name) == "option":
            value = getattr(settings, s.name)
            out[s.env_var] = value.reveal() if s.secret else str(value)
    return out


@main.command()
@click.option("--port", default=8501, show_default=True)
@store_options
@click.pass_context
@friendly_errors
def demo(ctx: click.Context, port: int) -> None:
    """Load sample_data (if the store is empty), rank it, and start the app.

    The sample's own accounts (the brand and three team members) are declared too, so
    the shortlist leaves them out and Relationships shows who already knows us.

    \b
    Example:
      influence demo
    """
    from graph.cli.data import load
    from graph.cli.ranking import rank

    obj: Ctx = ctx.obj
    check_port(obj.settings.app_address, port)  # before loading and ranking, not after
    store = obj.store()
    if store.is_empty():
        say(f"loading {SAMPLE_DATA} …")
        ctx.invoke(load, paths=(str(SAMPLE_DATA),), fmt="csv", kind="follows", platform=None, mapping=None,
                   topics=None, identities=None)  # fmt: skip
        ctx.invoke(rank, betweenness_k=None, topics=None, seed=0)
        from graph.jobs.relations import add_accounts

        for handle, role, member in SAMPLE_ACCOUNTS:
            add_accounts(store, [handle], role=role, member=member)
        say("declared the sample's own accounts: " + ", ".join(h for h, _, _ in SAMPLE_ACCOUNTS))
    obj.close()
    obj.override(app_address="127.0.0.1")  # a demo never listens beyond this machine
    ctx.invoke(app, port=port, headless=True, expose=False)


def port_busy(address: str, port: int) -> bool:
    """True when something already listens on ``address:port`` (bind test, like the server's).

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen()
    ...     port_busy("127.0.0.1", s.getsockname()[1])
    True
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free
        try:
            s.bind((address, port))
        except OSError:
            return True
    return False


def check_port(address: str, port: int) -> None:
    """Stop with one line, before printing any URL, when the port is taken."""
    if not port_busy(address, port):
        return
    from graph.errors import UsageError

    free = next((p for p in range(port + 1, port + 50) if not port_busy(address, p)), None)
    hint = f"; use --port {free}" if free else "; use --port"
    raise UsageError(f"port {port} on {address} is busy (is the app already running?){hint}")
