"""A synthetic library of any size: copies of a content library with new ids, each copy different.

    .venv/bin/python tests/synthetic_library.py OUT --topics 1000 [--content content]

Copy 0 is the library as it is; every further copy renames each topic and block with a
suffix (`esketamine-c0007`, `esk-before-c0007`), in English and in every translation, and
points the copied topics at the copied blocks. Its words differ too, as a real library's
do: each copied block's title and the last line of its body end with the copy's number,
"(copy 7)" in English and "(copia 7)" in Spanish, and so does each copied topic's title,
so that nothing keyed by content (a memo, a parse cache) can share work between copies.
Each copied translation's `translates:` is the version of its new English block or topic,
computed from the generated library as `load` reads it, so no translation is stale.
Everything else (sources, facts, strings, editorial lists, clinics, images) is shared, as in
a real library. The benchmark (tests/benchmark.py --scale) and the scale tests use it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The copy's number, as each language writes it; a language not listed here gets the English words.
MARKS = {"en": "copy", "es": "copia"}
SOURCE_LANGUAGE = "en"
_TITLE = re.compile(r"^title:[ \t]*(.*)$", re.M)
_TRANSLATES = re.compile(r"^translates:[ \t]*.*$", re.M)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_BODY = re.compile(r"^body:[ \t]*[|>][-+0-9]*[ \t]*$", re.M)


def synthesize(source: Path, dest: Path, topics: int) -> Path:
    """Write a library of at least `topics` topics into `dest` (made anew); return it."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    topic_ids = sorted(p.stem for p in (source / "topics").glob("*.yaml"))
    block_ids = sorted(p.stem for p in (source / "blocks").glob("*.yaml"))
    # Longest first, whole ids only: `esk-before` must not rename inside `esk-before-dose`.
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in sorted(block_ids, key=len, reverse=True))
                         + r")(?![\w-])")
    copies = -(-topics // len(topic_ids))
    translated: list[tuple[Path, str, str]] = []  # (file, kind, English id) whose `translates:` is written last
    for folder in [source] + [p for p in source.iterdir() if p.is_dir() and (p / "blocks").is_dir()]:
        lang = SOURCE_LANGUAGE if folder == source else folder.name
        mark = MARKS.get(lang, MARKS[SOURCE_LANGUAGE])
        target = dest / folder.relative_to(source)
        # Read each file once, not once a copy: 1,000 topics are 250 copies of every file.
        blocks = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "blocks").glob("*.yaml")}
        topic_texts = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "topics").glob("*.yaml")}
        for copy in range(1, copies):
            suffix, words = f"-c{copy:04d}", f"({mark} {copy})"
            for stem, text in blocks.items():
                path = target / "blocks" / f"{stem}{suffix}.yaml"
                path.write_text(_marked_body(_marked_title(text, words), words), encoding="utf-8")
                if lang != SOURCE_LANGUAGE:
                    translated.append((path, "blocks", stem + suffix))
            for stem, text in topic_texts.items():
                text = _marked_title(text, words)
                if lang == SOURCE_LANGUAGE:  # the English topic lists its blocks
                    text = _in_handouts(text, lambda t: pattern.sub(lambda m: m.group(1) + suffix, t))
                path = target / "topics" / f"{stem}{suffix}.yaml"
                path.write_text(text, encoding="utf-8")
                if lang != SOURCE_LANGUAGE:
                    translated.append((path, "topics", stem + suffix))
    if translated:
        _stamp_versions(dest, translated)
    return dest


def _stamp_versions(dest: Path, translated: list[tuple[Path, str, str]]) -> None:
    """Write into each copied translation the version of the English it now translates, as the
    checks compute it: from the library `load` reads (facts resolved), never from the raw file."""
    from handouts.content.load import load
    from handouts.content.translations import version

    library, findings = load(dest)
    if library is None:
        raise SystemExit(f"{dest} does not load: " + "; ".join(map(str, findings[:5])))
    for path, kind, english in translated:
        entries = library.blocks if kind == "blocks" else library.topics
        if english not in entries:  # e.g. a folder this checkout refuses to read (its file limit)
            raise SystemExit(f"{dest}: the English {kind[:-1]} '{english}' did not load: "
                             + "; ".join(map(str, findings[:5])))
        text = path.read_text(encoding="utf-8")
        # Quoted: a version of twelve hex digits can be all digits, which YAML would read as a number.
        stamped, count = _TRANSLATES.subn(f'translates: "{version(entries[english].value)}"', text, count=1)
        if count:
            path.write_text(stamped, encoding="utf-8")


def edit_block(root: Path, block_id: str, words: str) -> dict[Path, str]:
    """Edit one English block's text as an editor would (`words` at the end of its body) and bring
    its translations' `translates:` up to date, so the library stays clean; return the files'
    texts as they were, for restore()."""
    english = root / "blocks" / f"{block_id}.yaml"
    before = {english: english.read_text(encoding="utf-8")}
    english.write_text(_marked_body(before[english], words), encoding="utf-8")
    new = _version_alone(root, block_id)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        path = folder / "blocks" / f"{block_id}.yaml"
        if path.is_file():  # its translation into the language of `folder`
            before[path] = text = path.read_text(encoding="utf-8")
            path.write_text(_TRANSLATES.sub(f'translates: "{new}"', text, count=1), encoding="utf-8")
    return before


def restore(before: dict[Path, str]) -> None:
    """Put back the files edit_block() changed."""
    for path, text in before.items():
        path.write_text(text, encoding="utf-8")


def _version_alone(root: Path, block_id: str) -> str:
    """The version of one English block, from a scratch library holding it and everything but the
    other blocks and topics (facts, strings, sources): `load` reads it as it reads the whole library,
    in a fraction of the time."""
    from handouts.content.load import load
    from handouts.content.translations import version

    with tempfile.TemporaryDirectory() as scratch:
        alone = Path(scratch) / root.name
        shutil.copytree(root, alone, ignore=lambda folder, names: [n for n in names if n in ("blocks", "topics")])
        for folder in ("blocks", "topics"):
            (alone / folder).mkdir()
        shutil.copyfile(root / "blocks" / f"{block_id}.yaml", alone / "blocks" / f"{block_id}.yaml")
        library, findings = load(alone)
        if library is None or block_id not in library.blocks:
            raise SystemExit(f"{block_id}: the edited block does not load: " + "; ".join(map(str, findings[:5])))
        return version(library.blocks[block_id].value)


def _marked_title(text: str, words: str) -> str:
    """The file with `words` after its top-level title (written as a JSON string: valid YAML, any title)."""
    def marked(m: re.Match) -> str:
        title = yaml.safe_load(m.group(1))
        if not isinstance(title, str):
            return m.group(0)
        return "title: " + json.dumps(f"{title} {words}", ensure_ascii=False)

    return _TITLE.sub(marked, text, count=1)


def _marked_body(text: str, words: str) -> str:
    """The file with `words` at the end of the last line of its `body: |` block (the last item of a list
    stays one item; no new paragraph, so every block kind keeps its shape)."""
    found = _BODY.search(text)
    if not found:
        return text
    lines = text[found.end():].split("\n")
    last = None
    for number, line in enumerate(lines[1:], start=1):  # lines[0] is the rest of the `body:` line
        if line.strip() and not line[0].isspace():
            break  # the next top-level key (or comment): the body has ended
        if line.strip():
            last = number
    if last is None:
        return text
    line = lines[last].rstrip()
    if _ITEM.match(line):  # the last item of a list stays one item of the same list
        lines[last] = f"{line} {words}"
    else:  # a paragraph of its own: words added to a paragraph near its length limit would be a warning
        indent = line[:len(line) - len(line.lstrip())]
        lines[last] = f"{line}\n\n{indent}{words}"
    return text[:found.end()] + "\n".join(lines)


def _in_handouts(text: str, rename) -> str:
    """`rename` applied to the topic's `handouts:` mapping only (its other keys keep their words)."""
    head, marker, tail = text.partition("\nhandouts:")
    return head + marker + rename(tail) if marker else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--topics", type=int, required=True)
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    args = parser.parse_args()
    synthesize(args.content, args.out, args.topics)
    print(f"{args.out}: {len(list((args.out / 'topics').glob('*.yaml')))} topics, "
          f"{len(list((args.out / 'blocks').glob('*.yaml')))} blocks", file=sys.stderr)


if __name__ == "__main__":
    main()
