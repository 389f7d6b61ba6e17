"""Browser tests: Playwright driving Debian's Chromium against the live server.

On a developer machine without Chromium they skip with the install command;
in CI (CI=true) a missing Chromium fails the run, so they can never be
skipped silently there. Screenshots of failures go to test-results/ (gitignored).
"""

import os
import shutil
from pathlib import Path
from unittest import mock

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if "tests/browser/" in str(i.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.xdist_group("browser"))  # one at a time, in one worker
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}: CI must run the browser tests.")
    skip = pytest.mark.skip(reason="Chromium missing: sudo apt-get install chromium")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, but with static files served by WhiteNoise.

    Its default StaticFilesHandler looks files up through the finders, which do
    not know the hashed names the manifest storage writes into pages, so htmx
    and Bootstrap would 404. Serving them as production does (WhiteNoise from
    STATIC_ROOT) also tests that collectstatic produced what pages ask for.
    """
    from pytest_django.live_server_helper import LiveServer

    with mock.patch(
        "django.contrib.staticfiles.handlers.StaticFilesHandler", lambda wsgi_app: wsgi_app
    ):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "accept_downloads": True}


@pytest.fixture
def page(page, request):
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def masuk(page, live_server, username, password):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna, nomor anggota, atau email").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def ganti_ke_inggris(page, *, ponsel: bool) -> None:
    """Pick EN in the header. On a phone the menu is opened first and the click waits
    until Bootstrap's collapse animation has finished (a click mid-animation can miss)."""
    import re

    from playwright.sync_api import expect

    if ponsel:
        page.get_by_role("button", name="Buka menu").click()
        expect(page.locator("#nav-utama")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        expect(page.locator("#nav-utama")).not_to_have_class(re.compile("collapsing"))
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("EN")).click()
