"""One parse of a body serves every reader, and it is the parse each of them would have made.

content/markdown.py parses a body once, leniently, and lets the strict parse (the renderer's)
stand on it when the two cannot differ; a body as YAML writes it (one line break after its
last line) shares the parse of the body without it. Each test below holds the shared parse
against a separate parse by a parser built as the renderer's and the checks' were.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from handouts.content.markdown import IMAGE_PATH, LINK_SCHEMES, lenient_tokens, tokens

# Lines that make every kind of block and inline token, links the renderer takes and refuses, HTML.
LINES = ["- a *b*", "  - nested", "1. one", "10) ten", "* star", "+ plus", "```", "~~~ x", "    code", "# head",
         "### three", "text &amp; &#98;uy", "more\\", "> quote", "", "", "***", "---", "===", "| a | b |",
         "|---|---|", "[a]: http://x.example", "[a]: https://x.example", "[a]", "[b][a]", "[t](tel:911)",
         "[w](www.example.com)", "[h](https://ok.example \"title\")", "![alt](images/a-b.svg)",
         "![](http://x.example/p.png)", "<https://auto.example>", "<mail@example.com>", "<div>", "</div>",
         "<b>bold</b>", "<!-- note -->", "<?x ?>", "a  ", "\t- tab", "`code`", "**strong** _em_", "\\*not\\*",
         "[unclosed](https://a.example", "![x](images/a.svg \"t\")", "[MAIL](MAILTO:a@b.example)"]
BODY = st.lists(st.sampled_from(LINES), min_size=1, max_size=9).map("\n".join)
# Blocks whose text neither the checks nor the printed words read (they are refused, whole).
UNREAD = {"fence", "code_block", "html_block"}


def _parser(strict: bool) -> MarkdownIt:
    """A parser as content/markdown.py built its two before they shared a parse."""
    md = MarkdownIt("commonmark", {"html": not strict, "linkify": False, "typographer": False})
    md.validateLink = (lambda url: url.lower().startswith(LINK_SCHEMES) or bool(IMAGE_PATH.match(url))) if strict \
        else (lambda url: True)
    return md


def _as_read(parsed: list, unread: set[str] = frozenset()) -> list[dict]:
    return [{**t.as_dict(), "content": None} if t.type in unread else t.as_dict() for t in parsed]


@given(BODY)
@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_the_strict_tokens_are_those_the_renderer_parses(body):
    assert _as_read(tokens(body)) == _as_read(_parser(strict=True).parse(body))


@given(BODY)
@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_the_lenient_tokens_are_those_of_a_lenient_parse(body):
    assert _as_read(lenient_tokens(body), UNREAD) == _as_read(_parser(strict=False).parse(body), UNREAD)


@given(BODY)
@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_a_body_as_yaml_writes_it_reads_as_the_body_without_its_last_line_break(body):
    body = body.rstrip() + "\n"
    assert _as_read(lenient_tokens(body), UNREAD) == _as_read(_parser(strict=False).parse(body), UNREAD)


def test_a_refused_link_or_html_gets_the_strict_parse_of_its_own():
    assert [t.type for t in tokens("[w](http://x.example)")[1].children] == ["text"]
    assert [t.type for t in lenient_tokens("[w](http://x.example)")[1].children] == ["link_open", "text", "link_close"]
    assert [t.type for t in tokens("<div>x</div>")] == ["paragraph_open", "inline", "paragraph_close"]
    assert [t.type for t in lenient_tokens("<div>x</div>")] == ["html_block"]
