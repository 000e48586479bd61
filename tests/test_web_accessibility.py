"""Every web page a build writes passes axe-core in headless Chromium: WCAG 2.1 A and AA.

axe-core comes from npm at the version tests/axe/package-lock.json pins (`npm ci` in
tests/axe, as .ci/run does); Chromium is Debian's (`chromium`), driven by Playwright. One
browser serves every page. Every .html file under a build's output folder is checked,
whatever wrote it (handouts, packets, an index page).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--no-first-run"]
# WCAG 2.0 and 2.1, levels A and AA; and what axe files as best practice that the handouts
# promise too: landmarks, one main heading, headings in order.
RUN = """() => axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  rules: {'region': {enabled: true}, 'landmark-one-main': {enabled: true},
          'page-has-heading-one': {enabled: true}, 'heading-order': {enabled: true}},
  resultTypes: ['violations'],
}).then(r => ({version: r.testEngine.version, passes: r.passes.length,
               violations: r.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ` +
                                             v.nodes.map(n => n.target.join(' ')).join(', '))}))"""


@pytest.fixture(scope="session")
def browser_page():
    """One headless Chromium page with axe-core loaded into every document it opens."""
    if not AXE_SCRIPT.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in tests/axe (see README, Set up, build, test)")
    if not Path(CHROMIUM).is_file():
        pytest.fail("Chromium is missing: install the Debian package chromium (see .ci/apt-packages)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(path=str(AXE_SCRIPT))
            yield page
        finally:
            browser.close()


def axe(page, path: Path) -> dict:
    page.goto(path.as_uri())
    return page.evaluate(RUN)


def violations(page, folder: Path) -> dict[str, list[str]]:
    """Each web page under `folder` that axe faults, with what it found."""
    pages = sorted(folder.rglob("*.html"))
    assert pages, f"no web pages under {folder}"
    found = {p.relative_to(folder).as_posix(): axe(page, p)["violations"] for p in pages}
    return {name: problems for name, problems in found.items() if problems}


def test_every_shipped_web_page_passes_axe(shipped, browser_page):
    out, _ = shipped
    assert violations(browser_page, out) == {}


def test_every_kind_of_block_for_a_long_clinic_profile_passes_axe_on_the_web(every_edition, browser_page):
    published, _ = every_edition
    assert violations(browser_page, published) == {}


def test_axe_is_the_pinned_version_and_finds_what_it_should(browser_page, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>Bad</title></head><body><p>Outside a landmark</p>'
                    '<main><h1>Bad</h1><h3>A level skipped</h3><p style="color: #bbbbbb">Pale words</p>'
                    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>')
    result = axe(browser_page, page)
    pinned = json.loads((AXE / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]["version"]
    assert result["version"] == pinned
    found = {v.split(" ")[0] for v in result["violations"]}
    assert {"html-has-lang", "color-contrast", "image-alt", "region", "heading-order"} <= found
