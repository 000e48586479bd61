"""Typography read from the stylesheets: sizes, spacing, alignment and contrast."""

from __future__ import annotations

import re

import pytest
import tinycss2

from handouts.project import HOME

STYLES = HOME / "styles"


def declarations(sheet: str) -> list[tuple[str, str, str]]:
    """(selector, property, value) for every declaration in a stylesheet, @page and @media included."""
    found = []

    def visit(rules, prelude=""):
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                for item in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True):
                    if item.type == "declaration":
                        found.append((selector, item.lower_name, tinycss2.serialize(item.value).strip()))
            elif rule.type == "at-rule" and rule.content is not None:
                name = f"@{rule.lower_at_keyword}"
                body = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
                for item in body:
                    if item.type == "declaration":
                        found.append((name, item.lower_name, tinycss2.serialize(item.value).strip()))
                visit([r for r in body if r.type in ("qualified-rule", "at-rule")], name)

    visit(tinycss2.parse_stylesheet((STYLES / sheet).read_text(), skip_whitespace=True, skip_comments=True))
    return found


def points(value: str, base: float) -> float | None:
    match = re.fullmatch(r"([\d.]+)(pt|em|px)?", value)
    if not match:
        return None
    number, unit = float(match[1]), match[2]
    return {"pt": number, "px": number * 0.75, "em": number * base}.get(unit, number)


def value_of(sheet: str, selector: str, prop: str) -> str:
    return [v for s, p, v in declarations(sheet) if s == selector and p == prop][-1]


def test_standard_body_text_is_at_least_12pt_with_1_3_line_spacing():
    assert points(value_of("handout.css", "html", "font-size"), 12) >= 12
    assert float(value_of("handout.css", "html", "line-height")) >= 1.3


def test_nothing_in_the_standard_edition_is_under_10pt():
    sizes = [(s, points(v, 12)) for s, p, v in declarations("handout.css") if p == "font-size"]
    assert sizes and all(size >= 10 for _, size in sizes if size is not None), sizes


def test_large_print_body_is_18pt_and_headings_at_least_20pt():
    assert points(value_of("large.css", "html", "font-size"), 18) >= 18
    assert float(value_of("large.css", "html", "line-height")) >= 1.3
    for heading in ("h1", "h2", ".tier-title"):
        assert points(value_of("large.css", heading, "font-size"), 18) >= 20


def test_nothing_in_large_print_is_under_14pt():
    sizes = [(s, points(v, 18)) for s, p, v in declarations("large.css") if p == "font-size"]
    assert all(size >= 14 for _, size in sizes if size is not None), sizes


@pytest.mark.parametrize("sheet", ["handout.css", "large.css"])
def test_text_is_never_justified_nor_all_capitals(sheet):
    for selector, prop, value in declarations(sheet):
        assert not (prop == "text-align" and value == "justify"), selector
        assert not (prop == "text-transform" and value == "uppercase"), selector


def test_hyphenation_is_off_so_drug_names_and_numbers_stay_whole():
    assert value_of("handout.css", "html", "hyphens") in ("manual", "none")


def luminance(color: str) -> float:
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_rules() -> list[tuple[str | None, str | None]]:
    """(text colour, background) set by each rule of the stylesheets."""
    rules: dict[tuple[str, str], dict[str, str]] = {}
    for sheet in ("handout.css", "large.css"):
        for selector, prop, value in declarations(sheet):
            match = re.search(r"#[0-9a-fA-F]{6}\b", value)
            if match and prop in ("color", "background", "background-color"):
                key = "text" if prop == "color" else "background"
                rules.setdefault((sheet, selector), {})[key] = match[0].lower()
    return [(r.get("text"), r.get("background")) for r in rules.values()]


def test_every_text_colour_contrasts_4_5_to_1_with_the_backgrounds_it_can_stand_on():
    rules = colour_rules()
    # Text inherits onto the page (white) and onto any background that sets no colour of its own.
    open_backgrounds = {"#ffffff"} | {bg for text, bg in rules if bg and not text}
    pairs = [(text, bg) for text, bg in rules if text and bg]
    pairs += [(text, bg) for text, own in rules if text and not own for bg in open_backgrounds]
    assert pairs, "no text colour found in the styles"
    for text, background in pairs:
        assert contrast(text, background) >= 4.5, (text, background)


def test_colours_are_written_as_six_digit_hex_so_the_contrast_test_sees_them():
    for sheet in ("handout.css", "large.css"):
        for selector, prop, value in declarations(sheet):
            if prop in ("color", "background", "background-color", "border-color"):
                assert re.fullmatch(r"#[0-9a-f]{6}", value.lower()), (sheet, selector, value)
