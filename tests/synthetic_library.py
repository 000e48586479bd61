"""A synthetic library of any size: copies of a content library with new ids.

    .venv/bin/python tests/synthetic_library.py OUT --topics 1000 [--content content]

Copy 0 is the library as it is; every further copy renames each topic and block with a
suffix (`esketamine-c0007`, `esk-before-c0007`), in English and in every translation, and
points the copied topics at the copied blocks. Everything else (sources, facts, strings,
editorial lists, clinics, images) is shared, as in a real library. A translation's
`translates:` version hashes only the words, never the id, so the copies stay current.
The benchmark (tests/benchmark.py --scale) and the scale tests use it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

SHARED_FOLDERS = ("blocks", "topics")


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
    for folder in [source] + [p for p in source.iterdir() if p.is_dir() and (p / "blocks").is_dir()]:
        target = dest / folder.relative_to(source)
        for copy in range(1, copies):
            suffix = f"-c{copy:04d}"
            for path in (folder / "blocks").glob("*.yaml"):
                shutil.copyfile(path, target / "blocks" / f"{path.stem}{suffix}.yaml")
            for path in (folder / "topics").glob("*.yaml"):
                text = path.read_text(encoding="utf-8")
                if folder == source:  # the English topic lists its blocks
                    text = _in_handouts(text, lambda t: pattern.sub(lambda m: m.group(1) + suffix, t))
                (target / "topics" / f"{path.stem}{suffix}.yaml").write_text(text, encoding="utf-8")
    return dest


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
