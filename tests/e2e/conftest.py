"""When a browser journey fails: a screenshot of the page as it was, and the app's log
(its last lines) in the report, so a failure on CI can be read without rerunning it."""

from __future__ import annotations

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    from tests.e2e.test_browser import ARTIFACTS, LOGS

    page, server = item.funcargs.get("page"), item.funcargs.get("server")
    if page is not None:
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{item.name}_failed.png"
            page.screenshot(path=str(shot))
            report.sections.append(("page", f"url {page.url}; screenshot {shot}"))
        except Exception as exc:  # the page itself may be what broke
            report.sections.append(("page", f"no screenshot: {exc}"))
    for url, log in LOGS.items():
        if server in (None, url):
            report.sections.append((f"app log {url} (last lines)", "\n".join(log.read_text().splitlines()[-40:])))
