"""Every page of the built site in headless Chromium (Debian's, driven by Playwright).

Each page must load without console errors, request nothing from another host, have all of
its math typeset by KaTeX (no raw ``$$`` or ``\\(`` left in the text), and load every image.
The slice page is also checked in the dark scheme, where its dark figures must be the ones
shown. Screenshots are written to pytest's tmp dir.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from tests_support import site_pages

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.site, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

UNTYPESET_JS = """
() => {
  const body = document.querySelector('article') || document.body;
  const clone = body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, .katex').forEach(e => e.remove());
  const text = clone.textContent;
  const raw = ['$$', '\\\\(', '\\\\[', '\\\\frac', '\\\\theta'].filter(s => text.includes(s));
  const pending = [...document.querySelectorAll('.arithmatex')]
    .filter(e => !e.querySelector('.katex')).map(e => e.textContent.slice(0, 60));
  const errors = [...document.querySelectorAll('.katex-error')].map(e => e.title || e.textContent);
  return {raw, pending, errors};
}
"""

BROKEN_IMAGES_JS = """
() => [...document.images]
  .filter(img => !(img.complete && img.naturalWidth > 0))
  .map(img => img.getAttribute('src'))
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it (apt-get)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


READY_JS = """
() => document.readyState === 'complete'
  && [...document.images].every(img => img.complete)
  && [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))
"""


def small_search_index(site: Path) -> str:
    """The site's search index cut down to its first document (same config)."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    return json.dumps({"config": index["config"], "docs": index["docs"][:1]})


class Tab:
    """One browser tab reused across pages, recording what each page logs and requests.

    With ``search_stub`` the search index is served cut down: a full page load otherwise
    re-reads and re-indexes the whole index (a reader's instant navigation loads it once), and
    `test_search_finds_a_page` covers search itself.
    """

    def __init__(self, browser, scheme: str = "light", search_stub: str | None = None):
        self.context = browser.new_context(
            color_scheme=scheme, viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        if search_stub is not None:
            self.page.route(
                "**/search/search_index.json",
                lambda route: route.fulfill(body=search_stub, content_type="application/json"),
            )
        self.problems: dict[str, list[str]] = {}
        self.page.on(
            "console", lambda m: self._log("console", m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self._log("console", str(e)))
        self.page.on("request", self._request)
        self.page.on("requestfailed", self._failed)

    def _log(self, kind: str, text: str) -> None:
        self.problems.setdefault(kind, []).append(text)

    def _failed(self, request) -> None:
        # Leaving a page cancels its pending requests (ERR_ABORTED); broken images are
        # caught by BROKEN_IMAGES_JS instead.
        if "ERR_ABORTED" not in (request.failure or ""):
            self._log("failed", request.url)

    def _request(self, request) -> None:
        if request.url.startswith("http") and urlparse(request.url).hostname != "127.0.0.1":
            self._log("foreign", request.url)

    def open(self, url: str):
        """Load ``url`` and wait until its images are loaded and its math is typeset (or 10 s)."""
        self.problems = {}
        self.page.goto(url, wait_until="load")
        try:
            self.page.wait_for_function(READY_JS, timeout=10_000)
        except sync_api.TimeoutError:
            pass  # the checks below report what is missing
        return self.page

    def close(self) -> None:
        self.context.close()


def test_every_page_loads_cleanly_typesets_math_and_images(browser, built_site, site_url):
    pages = site_pages(built_site)
    assert len(pages) >= 5
    report: dict[str, dict] = {}
    tab = Tab(browser, search_stub=small_search_index(built_site))
    for rel in pages:
        page = tab.open(site_url + rel)
        found = {k: v for k, v in page.evaluate(UNTYPESET_JS).items() if v}
        broken = page.evaluate(BROKEN_IMAGES_JS)
        if broken:
            found["broken images"] = broken
        found |= tab.problems
        if found:
            report[rel or "/"] = found
    tab.close()
    assert report == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_slice_page_shows_the_figures_of_its_scheme(browser, site_url, tmp_path, scheme):
    tab = Tab(browser, scheme)
    page = tab.open(site_url + "optimization/gradient-descent/")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('figure.kb-figure img')]
             .filter(img => getComputedStyle(img).display !== 'none')
             .map(img => img.getAttribute('src'))"""
    )
    other = "#only-light" if scheme == "dark" else "#only-dark"
    assert len(shown) >= 2
    assert all(other not in src for src in shown), shown
    assert page.locator(".katex").count() > 10
    page.screenshot(path=str(tmp_path / f"gradient-descent-{scheme}.png"), full_page=True)
    assert tab.problems == {}
    tab.close()


def test_search_finds_a_page(browser, site_url):
    tab = Tab(browser)
    page = tab.open(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("momentum nesterov")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20_000)
    titles = " ".join(results.all_inner_texts())
    assert "Momentum" in titles
    assert tab.problems == {}
    tab.close()
