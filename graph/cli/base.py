"""What every ``influence`` command shares: the group, the store options, errors, output.

Module-level imports here are click and the standard library only, and the group
imports a command's module only when that command runs (:class:`LazyGroup`), so
``influence --help`` starts fast; each command imports what it needs when it runs.
"""

from __future__ import annotations

import functools
import importlib
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from graph.cli.quick_help import COMMANDS, GROUP_HELP, MAX_WIDTH, OPTION_HELP
from graph.errors import InfluenceError, QueryRefused

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = ROOT / "sample_data"
#: our own accounts in the sample niche (see sample_data/README.md): ``(handle, role, member)``
SAMPLE_ACCOUNTS = (
    ("@beantherecoffee", "brand", None),
    ("@ana_beanthere", "member", "ana"),
    ("@ben_beanthere", "member", "ben"),
    ("@caro_beanthere", "member", "caro"),
)
APP = ROOT / "app.py"

F = TypeVar("F", bound=Callable[..., Any])


def say(msg: str) -> None:
    """A line on stderr (what the command is doing; results go to stdout)."""
    click.echo(msg, err=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warn_half_loaded(store: Any) -> None:
    """One ``warning:`` line on stderr when the graph holds a load that stopped midway."""
    from graph.jobs import half_loaded

    line = half_loaded(store)
    if line:
        say(f"warning: {line}")


def footer(seconds: float) -> None:
    click.echo(f"time: {seconds:.1f}s, peak memory {peak_mb():.0f} MB")


#: OS errors about a path the user gave: shown as one line, like product errors.
_USER_OS_ERRORS = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError, FileExistsError)


def friendly_errors(fn: F) -> F:
    """The product's own errors become one line and exit 1 (2 for refused queries);
    anything else is a bug: one "internal error" line, the traceback under ``--debug``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except QueryRefused as exc:
            say(f"refused: {exc}")
            sys.exit(2)
        except InfluenceError as exc:
            say(f"error: {exc}")
            sys.exit(1)
        except _USER_OS_ERRORS as exc:
            say(f"error: {os_error_line(exc)}")
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            ctx = click.get_current_context(silent=True)
            if ctx is not None and ctx.find_root().params.get("debug"):
                import traceback

                traceback.print_exc()
            else:
                say(
                    f"internal error ({type(exc).__name__}): please report it with the command you ran; "
                    "run again with --debug for the traceback"
                )
            sys.exit(70)

    return wrapper  # type: ignore[return-value]


def os_error_line(exc: OSError) -> str:
    """One line for an OS error about a path the user gave; a missing folder is named.

    >>> os_error_line(FileNotFoundError(2, "No such file or directory", "/no/such/dir/x.csv"))
    'the folder /no/such/dir does not exist (for /no/such/dir/x.csv)'
    >>> os_error_line(PermissionError(13, "Permission denied", "/root/x"))
    'Permission denied: /root/x'
    """
    name = exc.filename
    if isinstance(exc, FileNotFoundError) and name and not Path(name).parent.exists():
        return f"the folder {Path(name).parent} does not exist (for {name})"
    return f"{exc.strerror or exc}" + (f": {name}" if name else "")


def check_out(out: str | None, option: str = "--out") -> None:
    """Fail before any work when the folder of an output file is missing.

    >>> check_out("/no/such/dir/x.gexf", "OUT")
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: OUT /no/such/dir/x.gexf: the folder /no/such/dir does not exist
    """
    if out and not Path(out).parent.exists():
        from graph.errors import UsageError

        raise UsageError(f"{option} {out}: the folder {Path(out).parent} does not exist")


class Ctx:
    """The store a command uses, opened on first use from the settings."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.overrides = {k: v for k, v in overrides.items() if v is not None}
        self._settings: Any = None
        self._store: Any = None

    def override(self, **values: Any) -> None:
        """Options given after the sub-command win over those before it."""
        if self._store is not None:
            raise click.UsageError("store options must come before the store is opened")
        self.overrides.update({k: v for k, v in values.items() if v is not None})
        self._settings = None

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from graph.settings import Settings

            self._settings = Settings.from_env(**self.overrides)
        return self._settings

    def store(self, *, create: bool = True) -> Any:
        """Open the store (once). ``create=False``: an embedded store that does not
        exist yet is not created (``info`` on a fresh folder)."""
        if self._store is None:
            from graph.stores.connect import open_store

            settings = self.settings
            say(f"store: {settings.describe()}")
            if not create and settings.kind == "embedded" and not store_exists(settings.data_dir):
                raise InfluenceError(
                    f"no graph in {settings.data_dir} yet: load something first (influence load PATH)"
                )
            self._store = open_store(settings)
        return self._store

    def reopen(self) -> None:
        """Close the store and read the settings again (the environment changed)."""
        self.close()
        self._settings = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def store_exists(data_dir: Path) -> bool:
    from graph.stores.embedded import DB_FILE

    return (Path(data_dir) / DB_FILE).exists()


def _parse_settings(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {name.replace("-", "_").lower(): value for name, value in pairs}


def store_options(fn: F) -> F:
    """``--data-dir``, ``--store`` and ``--setting`` on a sub-command too, so
    ``influence load x --store neo4j`` works like ``influence --store neo4j load x``."""

    @click.option("--data-dir", "o_data_dir", default=None, help="Embedded store folder (default .influence).")
    @click.option("--store", "o_store", type=click.Choice(["auto", "embedded", "neo4j"]), default=None,
                  help="Where the graph lives (overrides INFLUENCE_STORE).")  # fmt: skip
    @click.option("--setting", "o_settings", type=(str, str), multiple=True, metavar="NAME VALUE",
                  help="Any setting (see `influence settings`), e.g. --setting max_rows 50.")  # fmt: skip
    @functools.wraps(fn)
    def wrapper(*args: Any, o_data_dir: Any, o_store: Any, o_settings: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context().find_object(Ctx)
        if ctx is not None and (o_data_dir or o_store or o_settings):
            ctx.override(data_dir=o_data_dir, store=o_store, **_parse_settings(o_settings))
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def step_bar(desc: str, unit: str) -> tuple[Any, Callable[[int, int, str], None]]:
    """A progress bar on stderr and the ``progress(done, total, label)`` callback that drives it."""
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, unit=f" {unit}", file=sys.stderr, disable=None)

    def progress(done: int, total: int, label: str) -> None:
        bar.total, bar.n = total, done
        bar.set_postfix_str(label)
        bar.refresh()

    return bar, progress


def counts_line(c: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in c.items())


def split_list(text: str | None) -> list[str] | None:
    """``"a, b,,c"`` → ``["a", "b", "c"]``; empty → None."""
    if not text:
        return None
    items = [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]
    return items or None




class LazyGroup(click.Group):
    """A group whose commands are imported when one runs (or its help is asked for);
    the group's own ``--help`` lists them from
    :data:`graph.cli.quick_help.COMMANDS` without importing any."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name][0])  # registers it on this group
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click does, with a stand-in (the help's first paragraph) for a command not imported."""
        rows = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        for name in names:
            cmd = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            if not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, help=GROUP_HELP,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_WIDTH})  # fmt: skip
@click.option("--data-dir", default=None, help=OPTION_HELP["--data-dir"])
@click.option("--store", type=click.Choice(["auto", "embedded", "neo4j"]), default=None, help=OPTION_HELP["--store"])
@click.option("--setting", "settings", type=(str, str), multiple=True, metavar="NAME VALUE",
              help=OPTION_HELP["--setting"])  # fmt: skip
@click.option("--debug", is_flag=True, help=OPTION_HELP["--debug"])
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, store: str | None, settings: tuple, debug: bool) -> None:
    ctx.obj = Ctx({"data_dir": data_dir, "store": store, **_parse_settings(settings)})
    ctx.call_on_close(ctx.obj.close)
