"""Every page of the built site in headless Chromium (Debian's, driven by Playwright).

Each page must load without console errors, request nothing from another host, have all of
its math typeset by KaTeX (no raw ``$$`` or ``\\(`` left in the text), and load every image.
The slice page is also checked in the dark scheme, where its dark figures must be the ones
shown. Screenshots are written to pytest's tmp dir.
"""

from __future__ import annotations

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


def visit(browser, url: str, scheme: str = "light"):
    """Open ``url``; return the page and what it logged and requested."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: dict[str, list[str]] = {"console": [], "foreign": [], "failed": []}
    page.on(
        "console",
        lambda m: problems["console"].append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on(
        "request",
        lambda r: (
            problems["foreign"].append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", None) and r.url.startswith("http")
            else None
        ),
    )
    page.on("requestfailed", lambda r: problems["failed"].append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, problems


def test_every_page_loads_cleanly_typesets_math_and_images(browser, built_site, site_url):
    pages = site_pages(built_site)
    assert len(pages) >= 5
    report: dict[str, dict] = {}
    for rel in pages:
        context, page, problems = visit(browser, site_url + rel)
        math = page.evaluate(UNTYPESET_JS)
        broken = page.evaluate(BROKEN_IMAGES_JS)
        found = {k: v for k, v in problems.items() if v}
        found |= {k: v for k, v in math.items() if v}
        if broken:
            found["broken images"] = broken
        if found:
            report[rel or "/"] = found
        context.close()
    assert report == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_slice_page_shows_the_figures_of_its_scheme(browser, site_url, tmp_path, scheme):
    context, page, problems = visit(browser, site_url + "optimization/gradient-descent/", scheme)
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
    assert problems["console"] == [] and problems["foreign"] == []
    context.close()
