"""The live preview in a real browser: Debian's Chromium, headless, driven by Playwright.

Each test starts `build.py serve` on a test library in tmp_path, opens pages as an
editor would, saves files the way an editor does, and watches the page change by
itself.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from pypdf import PdfReader

from conftest import write_library
from live_server import WAIT, running

CHROMIUM = "/usr/bin/chromium"  # Debian's package (.ci/apt-packages); Playwright downloads no browser here
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
SHORT = WAIT * 1000  # milliseconds, for Playwright


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def served(tmp_path):
    content = write_library(tmp_path)
    with running(content, tmp_path / "dist") as (address, _process):
        yield address, content


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert errors == []  # the preview's own script never fails


def handout(page: Page):
    """The shown handout's document (the frame that is not loading)."""
    return page.frame_locator("#sheets iframe:not(.loading)")


def open_when_printed(page: Page, address: str, html: str, watcher: str) -> None:
    """Open a handout's preview once the first build has published it, then run `watcher` in it."""
    page.goto(f"{address}/preview/{html}")
    expect(page.locator("#panel .pdf[data-state=published]")).to_be_visible(timeout=SHORT)
    page.evaluate(watcher)


def save(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_index_lists_every_handout_with_its_status_grade_and_pages(served, page):
    address, _ = served
    page.goto(address + "/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3, timeout=SHORT)
    expect(rows.nth(0)).to_contain_text("Overview")
    expect(rows.nth(2)).to_contain_text("Risks and safety")
    for row in rows.all():
        expect(row.locator("td").nth(3)).to_have_text("draft")
        assert re.fullmatch(r"\d+\.\d", row.locator("td").nth(4).inner_text())
    # Pages come from the manifest: the index fills them in by itself once the first build is published.
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("1", timeout=SHORT)


def test_opening_a_handout_shows_its_printed_html_as_pages(served, page):
    address, _ = served
    page.goto(address + "/")
    page.get_by_role("link", name="What to expect").click()
    expect(page).to_have_url(address + "/preview/en/test-medicine-expectations.html")
    shown = handout(page)
    expect(shown.locator(".preview-sheet").first).to_be_visible(timeout=SHORT)
    expect(shown.locator(".preview-sheet").first).to_contain_text("You sit down.")
    # The print styles' page: US Letter at 96 px an inch, with its header and footer.
    box = shown.locator(".preview-sheet").first.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (816, 1056)
    expect(shown.locator(".preview-bottom-right").first).to_have_text(re.compile(r"Page 1 of \d"))
    expect(shown.locator(".preview-top-left").first).to_contain_text("Draft")


def test_a_saved_edit_appears_on_the_page_without_reloading(served, page):
    address, content = served
    page.goto(address + "/preview/en/test-medicine-expectations.html")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit down.", timeout=SHORT)
    page.evaluate("window.notReloaded = true")

    save(content / "blocks" / "how-given.yaml", "You sit down.", "You sit in a blue chair.")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit in a blue chair.", timeout=SHORT)
    assert page.evaluate("window.notReloaded") is True


def test_an_invalid_edit_shows_its_finding_and_keeps_the_last_good_preview(served, page):
    address, content = served
    page.goto(address + "/preview/en/test-medicine-expectations.html")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit down.", timeout=SHORT)

    (content / "blocks" / "how-given.yaml").write_text("title: How it is given\nbdy: oops\nsources: [label]\n")
    finding = page.locator("#panel li.error", has_text="unknown-key")
    expect(finding).to_be_visible(timeout=SHORT)
    expect(finding).to_contain_text("content/blocks/how-given.yaml:2:1")
    expect(page.locator("#panel .alert")).to_contain_text("last good version")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit down.")


def test_an_edit_the_editorial_checks_refuse_shows_its_finding_and_the_last_good_preview(served, page):
    address, content = served
    page.goto(address + "/preview/en/test-medicine-expectations.html")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit down.", timeout=SHORT)

    save(content / "blocks" / "how-given.yaml", "You sit down.", "Buy it online.")
    expect(page.locator("#panel li.error", has_text="(forbidden)")).to_contain_text(
        "content/blocks/how-given.yaml:", timeout=SHORT)
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("You sit down.", timeout=SHORT)
    expect(handout(page).locator(".preview-sheet").first).not_to_contain_text("Buy it online.")


def test_the_pdf_link_serves_the_new_pdf_once_printed(served, page):
    address, content = served
    page.goto(address + "/preview/en/test-medicine-expectations.html")
    expect(page.locator("#pdf-link")).to_be_visible(timeout=SHORT)  # the first build's PDF

    save(content / "blocks" / "how-given.yaml", "You sit down.", "You sit in a blue chair.")
    expect(handout(page).locator(".preview-sheet").first).to_contain_text("blue chair", timeout=SHORT)

    def pdf_text() -> str:
        link = page.locator("#pdf-link")
        link.wait_for(timeout=SHORT)
        response = page.request.get(address + link.get_attribute("href"))
        assert response.headers["content-type"] == "application/pdf"
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)

    expect(page.locator("#pdf-link")).to_be_visible(timeout=SHORT)
    deadline_text = ""
    for _ in range(WAIT * 4):
        deadline_text = pdf_text()
        if "blue chair" in deadline_text:
            break
        page.wait_for_timeout(250)
    assert "blue chair" in deadline_text


def test_the_page_says_printing_while_its_pdf_is_printed(served, page):
    address, content = served
    open_when_printed(page, address, "en/test-medicine-expectations.html", """() => {
        window.states = [];
        new MutationObserver(() => {
            const state = document.querySelector('#panel .pdf');
            if (state) window.states.push([state.dataset.state, state.textContent]);
        }).observe(document.getElementById('panel'), {childList: true, subtree: true});
    }""")

    save(content / "blocks" / "how-given.yaml", "You sit down.", "You sit in a blue chair.")
    # The page recorded every state it showed: "printing" can be shown for less time than
    # Playwright waits between two looks, so the test reads the record, not the screen.
    page.wait_for_function("""() => {
        const shown = window.states.map(s => s[0]);
        const printing = shown.indexOf('printing');
        return printing >= 0 && ['fresh', 'published'].includes(shown[shown.length - 1]);
    }""", timeout=SHORT)
    states = page.evaluate("window.states")
    printing = [text for state, text in states if state == "printing"]
    assert "Printing the PDF" in printing[0]
    expect(page.locator("#pdf-link")).to_be_visible(timeout=SHORT)


def test_the_handout_on_screen_is_printed_first(served, page):
    address, content = served
    open_when_printed(page, address, "en/test-medicine-risks.html", """() => {
        window.printed = [];
        const events = new EventSource('/events');
        events.addEventListener('pdf', e => window.printed.push(JSON.parse(e.data).pdf));
        events.addEventListener('built', () => { window.built = true; });
        return new Promise(resolve => events.addEventListener('hello', resolve));
    }""")

    # A block of the overview and the risks: in plan order the overview (in its packet) comes first.
    save(content / "blocks" / "what-it-is.yaml", "helps *some* people.", "helps some people.")
    for _ in range(WAIT * 10):
        if page.evaluate("window.built === true"):
            break
        page.wait_for_timeout(100)
    printed = page.evaluate("window.printed")
    assert printed[0] == "en/test-medicine-risks.pdf" and "en/test-medicine-overview.pdf" in printed
