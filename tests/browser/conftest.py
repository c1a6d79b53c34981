"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Screenshots land in artifacts/screenshots/ at phone (375 px) and desktop (1280 px) widths.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's DB calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LDN_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; the test command installs it with apt")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield _WorkersOnRequest(browser)
        browser.close()


class _WorkersOnRequest:
    """The browser, whose new contexts block the service worker unless a test asks for it
    (`service_workers="allow"`, the offline and push tests). The worker fetches pages in the
    background; on the test server's one shared in-memory SQLite connection those requests can
    meet the test's own writes ("database table is locked"), which no real server has."""

    def __init__(self, browser: object) -> None:
        self._browser = browser

    def __getattr__(self, name: str) -> object:
        return getattr(self._browser, name)

    def new_context(self, **options: object) -> object:
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _requests_take_turns(live_server):
    """The service worker fetches pages in the background (ldn.web.pwa) while a test drives the
    page. The test server's in-memory SQLite is one connection shared by its threads, which
    fails ("table is locked") when two requests use it at once, so here requests take turns; a
    real server's database (a file in WAL mode, or PostgreSQL) serves them side by side."""
    httpd = live_server.thread.httpd
    if not hasattr(httpd, "django_app"):  # the server lives for the session: keep its own app
        httpd.django_app = httpd.get_app()
    app, lock = httpd.django_app, threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return app(environ, start_response)

    def closed(environ, start_response):  # after the test: no database while it is emptied
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"the test is over"]

    httpd.set_app(one_at_a_time)
    httpd.ldn_turns = lock  # for between_requests()
    yield
    httpd.set_app(closed)
    with lock:  # a request still running finishes before the database is emptied
        pass


@contextmanager
def between_requests(live_server) -> Iterator[None]:
    """The test's own database reads and writes, while the live server serves no request. Where
    a test lets the service worker run, its background fetches reach the server at any moment, and
    the in-memory SQLite connection the server shares with the test thread refuses two users at
    once ("database table is locked")."""
    with live_server.thread.httpd.ldn_turns:
        yield


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> list[Path]:
    """Save the page at phone and desktop widths; returns the two files."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    original = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths


def axe_violations(page, *, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the current page (all rules, or only `rules`): the one axe runner
    of the browser tests."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": rules} if rules else None
    return Axe().run(page, options=options).response["violations"]


def assert_accessible(page, *, impacts: tuple[str, ...] | None = ("serious", "critical")) -> None:
    """No axe-core violations of these impacts (None: of any impact) on the current page."""
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}, {len(v['nodes'])} nodes"
        for v in axe_violations(page)
        if impacts is None or v["impact"] in impacts
    ]
    assert bad == []


def fits_without_horizontal_scroll(page) -> bool:
    # A click that navigates changes page.url before the new document exists; wait for it.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
