"""The app's speed in a real browser: Debian's Chromium (Playwright) against ``influence app``.

For each store (the sample_data niche, and SNAP ego-Twitter: 81k people, 1.77M follows)
it starts a fresh server and prints:

* **server ready**: from starting ``influence app`` until it answers (``/_stcore/health``)
  and, when the app warms its caches at start, until it says so in its log;
* **first visit**: a fresh browser context (empty cache) opens the app once it is ready;
  seconds until the Explore network is drawn (a frame holds vis.js's ``network`` with its
  nodes, and two animation frames have passed), when its script run finished, and the
  bytes that came over the websocket meanwhile; then a **second visitor** the same way;
* **slider steps**: "People drawn" one step right (25 more people: a drawing no cache
  holds), seconds until the new network is drawn, the server's rerun (until its
  ``script_finished`` message arrives) alongside, and the websocket bytes of that step;
* how often vis-network's script came over HTTP in the first visitor's tab (served by the
  app: once per tab; inlined in each drawing: never, it comes with every drawing instead).

The script runs the tree it lives in (``PYTHONPATH``), so a copy of an older commit's tree
with this file in its ``bench/`` measures that commit the same way.

No timing is asserted: figures are printed. Figures from a shared machine are noisy; the
machine's load average is printed with them.

    python bench/app_speed.py                           # both stores, 2 server starts, 4 slider steps
    python bench/app_speed.py --stores sample --rounds 1 --steps 3
    python bench/app_speed.py --ego-store /tmp/ego      # an already loaded and ranked ego-Twitter store
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("INFLUENCE_DATASETS") or ROOT.parent / "shared" / "datasets")
EGO = DATASETS / "ego_twitter" / "twitter_combined_rebuilt.txt.gz"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
STEP = 25  # the "People drawn" slider's step

DRAWN = (
    """() => { try { return !!window.network && network.body.data.nodes.length; } catch (e) { return 0; } }"""
)
VIS_BYTES = """() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('/vis-network.min.js'))
  .map(e => e.transferSize)"""  # bytes of vis-network over HTTP for this drawing (none: a copy the tab already had)
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _env(store: Path) -> dict:
    env = {
        **os.environ,
        "INFLUENCE_STORE": "embedded",
        "INFLUENCE_DATA_DIR": str(store),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("NEO4J_URI", None)
    return env


def _cli(store: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "graph", "--data-dir", str(store), *args], cwd=ROOT, env=_env(store),
                   check=True, capture_output=True)  # fmt: skip


def build_store(kind: str, target: Path) -> Path:
    """A loaded and ranked embedded store of ``kind`` (sample or ego) at ``target``."""
    t0 = time.perf_counter()
    if kind == "sample":
        _cli(target, "load", str(ROOT / "sample_data"))
    else:
        _cli(target, "load", str(EGO), "--format", "snap", "--kind", "follows")
    _cli(target, "rank")
    print(f"  [{kind}] store loaded and ranked in {time.perf_counter() - t0:.0f}s", flush=True)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """``influence app`` on ``store``, in its own process group."""

    def __init__(self, store: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph", "--data-dir", str(store), "app", "--port", str(self.port)],
            cwd=log.parent, env=_env(store), stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def ready(self, timeout: float = 300) -> tuple[float, float | None]:
        """Seconds until healthy, and until warm (None when the app does not warm at start)."""
        healthy = None
        while time.perf_counter() - self.t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app stopped:\n{self.log_path.read_text()[-3000:]}")
            if healthy is None:
                try:
                    with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                        if r.read() == b"ok":
                            healthy = time.perf_counter() - self.t0
                except OSError:
                    pass
            if healthy is not None:
                text = self.log_path.read_text()
                if "caches warm" in text or "warming failed" in text:
                    return healthy, time.perf_counter() - self.t0
                if "warming" not in text and time.perf_counter() - self.t0 > healthy + 2:
                    return healthy, None  # an app that does not warm at start
            time.sleep(0.1)
        raise RuntimeError("the app was not ready in time")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


class Wire:
    """What comes over the app's websocket: bytes, and when a script run finished."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._msg = ForwardMsg
        self.bytes = 0
        self.finished: list[float] = []
        self.vis_fetches = 0
        self.run_done: float | None = None
        self.vis_bytes: list[int] = []  # per slider step: vis-network bytes over the network
        page.on("websocket", self._socket)
        page.on("requestfinished", self._request)

    def _socket(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.bytes += len(data)
        msg = self._msg()
        try:
            msg.ParseFromString(data)
        except Exception:  # not a ForwardMsg
            return
        if msg.WhichOneof("type") == "script_finished":
            self.finished.append(time.perf_counter())

    def _request(self, request) -> None:
        if request.url.split("?")[0].endswith("vis-network.min.js"):
            self.vis_fetches += 1

    def reset(self) -> None:
        self.bytes, self.finished = 0, []


def drawn_frame(pg, nodes: int | None = None, timeout: float = 180.0, skip_old: bool = False):
    """The frame holding a drawn network (``nodes`` of them, when given), once painted."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        for frame in pg.frames:
            try:
                if skip_old and frame.evaluate("() => !!window.__old"):
                    continue
                n = frame.evaluate(DRAWN)
            except Exception:  # a frame being replaced
                continue
            if n and (nodes is None or n == nodes):
                frame.evaluate(PAINTED)
                return frame
        pg.wait_for_timeout(25)
    raise RuntimeError(f"no network of {nodes or 'any'} nodes drawn after {timeout:g}s")


def settle(pg) -> None:
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=180_000)


def visit(browser, url: str) -> tuple:
    """A first visit in a fresh context: (page, wire, seconds to drawn, websocket bytes)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(180_000)
    wire = Wire(pg)
    t0 = time.perf_counter()
    pg.goto(url)
    drawn_frame(pg)
    seconds = time.perf_counter() - t0
    settle(pg)
    pg.wait_for_timeout(200)
    wire.run_done = wire.finished[0] - t0 if wire.finished else None
    return pg, wire, seconds, wire.bytes


def slider_step(pg, wire: Wire, nodes: int) -> tuple[float, float | None, int]:
    """One step right on "People drawn": (seconds to the new drawing, server rerun, bytes)."""
    settle(pg)
    drawn_frame(pg).evaluate("() => { window.__old = true; }")
    thumb = pg.locator('[data-testid="stSlider"]').first.get_by_role("slider")
    thumb.focus()
    wire.reset()
    t0 = time.perf_counter()
    thumb.press("ArrowRight")
    frame = drawn_frame(pg, nodes, skip_old=True)
    seconds = time.perf_counter() - t0
    wire.vis_bytes.append(sum(frame.evaluate(VIS_BYTES)))
    settle(pg)  # the rerun may finish after the drawing (the person panel comes below it)
    pg.wait_for_timeout(200)
    rerun = wire.finished[0] - t0 if wire.finished else None
    return seconds, rerun, wire.bytes


def run_store(kind: str, store: Path, browser, rounds: int, steps: int, tmp: Path) -> dict:
    out: dict[str, list] = {
        "ready": [],
        "warm": [],
        "first": [],
        "second": [],
        "step": [],
        "rerun": [],
        "kb": [],
    }
    for r in range(rounds):
        app = App(store, tmp / f"app-{kind}-{r}.log")
        try:
            healthy, warm = app.ready()
            out["ready"].append(healthy)
            if warm is not None:
                out["warm"].append(warm)
            pg, wire, first, first_bytes = visit(browser, app.url)
            out["first"].append(first)
            print(f"  [{kind}] round {r + 1}: healthy {healthy:.1f}s"
                  + (f", warm {warm:.1f}s" if warm is not None else " (no warming)")
                  + f"; first visit drawn in {first:.2f}s (its script run done at {_s(wire.run_done)}; "
                  f"{first_bytes / 1e3:,.0f} kB over the websocket)",
                  flush=True)  # fmt: skip
            pg2, wire2, second, _ = visit(browser, app.url)
            out["second"].append(second)
            pg2.context.close()
            print(f"  [{kind}] round {r + 1}: second visitor drawn in {second:.2f}s "
                  f"(its script run done at {_s(wire2.run_done)})", flush=True)  # fmt: skip
            n = 200
            for _ in range(steps):
                n += STEP
                seconds, rerun, size = slider_step(pg, wire, n)
                out["step"].append(seconds)
                out["kb"].append(size / 1e3)
                if rerun is not None:
                    out["rerun"].append(rerun)
                rr = f"{rerun:.2f}s" if rerun is not None else "?"
                print(f"  [{kind}] slider -> {n}: drawn in {seconds:.2f}s (server rerun {rr}; "
                      f"{size / 1e3:,.0f} kB over the websocket)", flush=True)  # fmt: skip
            print(
                f"  [{kind}] vis-network.min.js requested over HTTP {wire.vis_fetches} time(s) in this session "
                f"(0 when inlined in each drawing); its bytes over HTTP per slider step: {wire.vis_bytes}"
            )
            pg.context.close()
        finally:
            app.stop()
    return out


def _s(x: float | None) -> str:
    return "?" if x is None else f"{x:.2f}s"


def _median(xs: list) -> str:
    return f"{statistics.median(xs):.2f}" if xs else "-"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stores", default="sample,ego", help="comma-separated: sample, ego")
    ap.add_argument("--rounds", type=int, default=2, help="fresh server starts per store")
    ap.add_argument("--steps", type=int, default=4, help="slider steps per round")
    ap.add_argument("--ego-store", type=Path, help="an already loaded and ranked ego-Twitter store (copied)")
    ap.add_argument(
        "--sample-store", type=Path, help="an already loaded and ranked sample_data store (copied)"
    )
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="app-speed-") as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for kind in [s.strip() for s in args.stores.split(",") if s.strip()]:
            given = args.ego_store if kind == "ego" else args.sample_store
            store = tmp / f"{kind}-store"
            if given:
                shutil.copytree(given, store, ignore=shutil.ignore_patterns("write.lock"))
            else:
                build_store(kind, store)
            results[kind] = run_store(kind, store, browser, args.rounds, args.steps, tmp)
        browser.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("\nmedians (s)      healthy  warm  first visit  second visitor  slider step  server rerun  kB/step")
    for kind, r in results.items():
        print(f"{kind:<16} {_median(r['ready']):>7} {_median(r['warm']):>5} {_median(r['first']):>12} "
              f"{_median(r['second']):>15} {_median(r['step']):>12} {_median(r['rerun']):>13} "
              f"{_median(r['kb']):>8}")  # fmt: skip


if __name__ == "__main__":
    main()
