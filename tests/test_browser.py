"""The feed page in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright), against `poacal serve` on loopback. Every link within the site resolves,
axe-core finds no serious or critical accessibility violation, and screenshots at 1280
and 390 px are kept in test-artifacts/ for a person to look at.

`make test` installs Chromium and axe-core where the machine allows it (see the
Makefile's browser-deps); where it cannot, the test is skipped and says why.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import serving

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving("--as-of", "2026-04-01") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    exe = chromium()
    if exe is None:
        pytest.skip("no chromium here: `make test` installs it with apt-get when run as root")
    if not AXE.is_file():
        pytest.skip("axe-core is missing: `make test` installs it with npm when npm exists")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_feed_page_in_a_real_browser(site: str, browser: object, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    response = page.goto(site)
    assert response is not None and response.status == 200
    assert page.locator("main").count() == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h2", has_text="What is next").count() == 1
    assert "NR 2026" in page.inner_text("main table")
    # the timeline picture loaded
    assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"feed-page-{width}.png"), full_page=True)

    # every link within the site resolves (webcal links as the http they stand for)
    links = page.eval_on_selector_all(
        "a[href], img[src]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))"
    )
    pairs = page.eval_on_selector_all(
        "a", "els => els.map(e => [e.innerText.trim(), e.getAttribute('href')])"
    )
    targets: dict[str, set[str]] = {}
    for text, href in pairs:
        targets.setdefault(text, set()).add(href)
    # every link says where it goes: one text, one destination
    assert all(len(t) == 1 for t in targets.values()), targets
    assert not any(t.lower() in ("subscribe (webcal)", "here", "link") for t in targets)
    origin = urlsplit(site).netloc
    checked = 0
    for link in links:
        url = urljoin(site, link.replace("webcal://", "http://", 1))
        if urlsplit(url).netloc != origin:
            continue
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200, url
        checked += 1
    assert checked >= 12

    # accessibility: no serious or critical violation
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
    # nothing wider than the screen at phone width
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        # the feeds on the first screen; the timeline at a readable size, scrolled sideways
        # in its own region rather than shrunk to the phone's width (issue 22 #21)
        first = page.locator("header a[href$='poacal.ics']").bounding_box()
        assert first is not None and first["y"] + first["height"] < 900
        timeline = page.locator("figure img").bounding_box()
        assert timeline is not None and timeline["width"] >= 700
    page.close()
