"""The Markdown subset of block bodies: emphasis, lists, links and local images.

markdown-it-py parses CommonMark; raw HTML is never passed through. `problems`
finds what a body may not contain, so check can name the line; `to_html` turns
an accepted body into HTML.

The checks read a body three ways (its problems, its printed words, its passages), from
one parse. The lenient parse (HTML and every link allowed, to report them) is the strict
one the renderer prints from, token for token, when the body holds no '<' (the only
character the HTML rules start at) and every link it tried passes the renderer's test
(markdown-it asks validateLink and nothing else differs): then the strict parse is not run.
And a body with one line break after its last line (as YAML writes it) parses as the body
without it, but for the text of code and HTML blocks, which none of the three reads.
tests/test_markdown_parse.py holds both against separate parses.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

# https only: an address printed on paper (or in a QR code) is typed or scanned by a patient, and
# a plain http: page can be altered or redirected on its way to them.
LINK_SCHEMES = ("https://", "tel:", "mailto:")
IMAGE_PATH = re.compile(r"^images/[a-z0-9]+(-[a-z0-9]+)*\.(svg|png|jpg)$")
_NOT_ALLOWED = {
    "heading_open": "headings: delete the '#' marks, or make the heading the title of a new block "
                    "(a block's title is its heading)",
    "lheading_open": "headings (a line underlined with '=' or '-'): delete the underline, or make the "
                     "heading the title of a new block",
    "code_block": "indented code (remove the leading spaces)",
    "fence": "code blocks",
    "blockquote_open": "quotes ('>')",
    "hr": "horizontal rules",
    "table_open": "tables",
    "html_block": "raw HTML, which would print as literal tags; use Markdown instead",
    "html_inline": "raw HTML, which would print as literal tags; use Markdown instead",
}


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based line within the body
    message: str


@lru_cache(maxsize=1 << 16)
def problems(body: str) -> tuple[Problem, ...]:
    """What in `body` falls outside the subset, with the line it is on (parsed once a body and run)."""
    found: list[Problem] = []
    for token in lenient_tokens(body):
        line = token.map[0] if token.map else 0
        if token.type in _NOT_ALLOWED:
            found.append(Problem(line, f"block bodies may not contain {_NOT_ALLOWED[token.type]}"))
        for child in token.children or ():
            child_line = line + _line_of(token.content, child)
            if child.type in _NOT_ALLOWED:
                found.append(Problem(child_line, f"block bodies may not contain {_NOT_ALLOWED[child.type]}"))
            elif child.type == "link_open" and not _allowed_link(child.attrs.get("href", "")):
                found.append(Problem(child_line, f"link '{child.attrs.get('href')}' is not allowed; "
                                     "use an https://, tel: or mailto: address"))
            elif child.type == "image":
                found.extend(_image_problems(child, child_line))
    return tuple(found)


def tokens(body: str) -> list:
    """The parse the renderer prints from: content/printed.py reads the printed words from it.
    Shared between readers: read it, never change it."""
    parse = _parsed(body)
    return parse.lenient if parse.strict is None else parse.strict


def lenient_tokens(body: str) -> list:
    """The parse that sees everything, to report it (problems; checks/passages.py). Shared: read only."""
    if body.endswith("\n") and not body[-2:-1].isspace():  # as YAML writes a body: see above
        body = body[:-1]
    return _parsed(body).lenient


@dataclass(frozen=True)
class _Parse:
    lenient: list
    strict: list | None  # None: the same as the lenient one


@lru_cache(maxsize=32)  # the bodies one check of a block reads: never a whole library's tokens
def _parsed(body: str) -> _Parse:
    md, tried = _recording_parser()
    tried.clear()
    lenient = md.parse(body)
    same = "<" not in body and all(_strict_link(url) for url in tried)
    return _Parse(lenient, None if same else _parser().parse(body))


_local = threading.local()  # the live preview checks in threads: each has its own parser and record


def _recording_parser() -> tuple[MarkdownIt, list[str]]:
    """The lenient parser, recording each address it is asked to accept."""
    if not hasattr(_local, "parser"):
        tried: list[str] = []
        md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
        md.validateLink = lambda url: tried.append(url) or True
        _local.parser, _local.tried = md, tried
    return _local.parser, _local.tried


def to_html(body: str) -> str:
    """The HTML of an accepted body, as it stands in dist/<lang>/ (images are in dist/images/)."""
    md = _parser()
    tokens = md.parse(body)
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                child.attrSet("src", "../" + str(child.attrGet("src")))
    return md.renderer.render(tokens, md.options, {})


def list_items(body: str) -> list[str]:
    """The Markdown of each item of a body's top-level lists, in order (a pictogram goes before each)."""
    lines = body.splitlines()
    return ["\n".join(_unindent(lines[token.map[0]:token.map[1]])).strip()
            for token in _parser().parse(body) if token.type == "list_item_open" and token.level == 1]


def _unindent(lines: list[str]) -> list[str]:
    """An item's lines without its marker ("- ", "1. ") and the indentation that follows it."""
    first = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", lines[0]) if lines else None
    width = first.end() if first else 0
    return [line[width:] if i == 0 else line[width:] if line[:width].strip() == "" else line
            for i, line in enumerate(lines)]


def _image_problems(token, line: int) -> list[Problem]:
    src = token.attrs.get("src", "")
    found = []
    if not IMAGE_PATH.match(src):
        found.append(Problem(line, f"image '{src}' is not allowed; put the picture in content/images/ "
                             "and write it as images/NAME.svg (or .png, .jpg)"))
    if not token.content.strip():
        found.append(Problem(line, "image has no alternative text; describe it: ![what it shows](images/...)"))
    return found


def _allowed_link(href: str) -> bool:
    return href.lower().startswith(LINK_SCHEMES)


def _line_of(content: str, child) -> int:
    """The line of an inline token inside its paragraph (markdown-it gives only the block's)."""
    marker = child.attrs.get("href") or child.attrs.get("src") or child.content
    index = content.find(str(marker)) if marker else -1
    return content.count("\n", 0, index) if index > 0 else 0


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The strict parser, which renders: no HTML, only the links and images a body may have."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _strict_link
    return md


def _strict_link(url: str) -> bool:
    return _allowed_link(url) or bool(IMAGE_PATH.match(url))
