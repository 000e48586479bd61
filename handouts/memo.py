"""Memo: results kept between runs, found again by a digest of everything they came from.

A key is the digest of every input a result depends on (the bytes of the files, the
lists and settings it read, the code that computed it), so a result is only ever reused
for exactly the inputs that made it: the files are always the truth, never the memo.
The memo is safe to delete; a damaged or unreadable one is ignored and written anew.
A memo file is written again only when a run computed something new for it, and then holds
only the entries that run used, so it never outgrows the library.

Where: `$HANDOUTS_CACHE` (`off` keeps nothing), else `$XDG_CACHE_HOME/handouts` or
`~/.cache/handouts`, one folder per content folder.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
_MAGIC = b"handouts-memo-1\n"


def digest(*parts: bytes | str) -> str:
    """One digest of several inputs (each length-prefixed, so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def key(*parts: str) -> str:
    """A memo key from parts that never hold a NUL (paths, ids, digests): quicker than `digest`,
    for the thousands of keys one run looks up."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# The libraries whose answers the kept results hold: parsing, validation, Markdown, syllables, fonts.
LIBRARIES = ("pyyaml", "pydantic", "pydantic-core", "markdown-it-py", "pyphen", "babel", "fonttools")


@lru_cache(maxsize=None)
def code_version() -> str:
    """A digest of this package's source, Python's version and the libraries' it reads with: a new
    version of the checks, or of what they stand on, never reuses an old result."""
    files = sorted(PACKAGE.rglob("*.py"))
    return digest(sys.version, *(_installed(name) for name in LIBRARIES),
                  *(part for f in files for part in (str(f.relative_to(PACKAGE)), f.read_bytes())))


def _installed(name: str) -> str:
    try:
        return f"{name}={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name}=none"


def folder_for(content: Path) -> Path | None:
    """Where the memo of `content` lives, or None when memos are turned off."""
    chosen = os.environ.get("HANDOUTS_CACHE")
    if chosen == "off":
        return None
    base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handouts"
    return base / digest(os.path.abspath(content))[:16]


class Memo:
    """One named memo (load, checks) of one content folder; in memory only when `folder` is None."""

    def __init__(self, folder: Path | None, name: str, version: str = ""):
        self.path = folder / f"{name}.pickle" if folder else None
        self.version = version or code_version()
        self._old: dict[str, Any] = self._read()
        self._new: dict[str, Any] = {}
        self.hits = self.misses = 0

    def __contains__(self, key: str) -> bool:
        return key in self._new or key in self._old

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The result for `key`, computed only if no run has kept it."""
        if key in self._new:
            return self._new[key]
        if key in self._old:
            self.hits += 1
            value = self._new[key] = self._old[key]
            return value
        self.misses += 1
        value = self._new[key] = compute()
        return value

    def known(self, keys: Iterable[str]) -> dict[str, Any]:
        """The results some run kept for any of `keys`, by key (each then counts as used, as by `get`)."""
        found = {}
        new, old = self._new, self._old
        for key in keys:
            if key in new:
                found[key] = new[key]
            elif key in old:
                self.hits += 1
                found[key] = new[key] = old[key]
        return found

    def put(self, key: str, value: T) -> T:
        """Keep `value` for `key` in place of what any run kept (computed now: a miss)."""
        self.misses += 1
        self._new[key] = value
        return value

    def save(self) -> None:
        """Write the entries this run used, atomically, if it computed any; a memo that cannot be written is
        skipped. One with nothing new is left as it was: what it holds beyond this run's entries is never read
        for other inputs, and goes the next time the file is written."""
        if self.path is None or not self.misses:
            return
        payload = pickle.dumps((self.version, self._new), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=".memo-", delete=False) as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest())
                out.write(payload)
            os.replace(out.name, self.path)
        except OSError:
            try:
                os.unlink(out.name)
            except (OSError, NameError):
                pass

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as file:
                mode = os.fstat(file.fileno())
                # Unpickling runs code: a memo someone else owns, or could have written, is never read.
                if mode.st_uid != os.getuid() or mode.st_mode & 0o022:
                    return {}
                raw = file.read()
        except OSError:
            return {}
        # A view, not a copy: a 1,000-topic library's memos are 24 MB, each new page of memory costs time.
        check, payload = raw[len(_MAGIC):len(_MAGIC) + 32], memoryview(raw)[len(_MAGIC) + 32:]
        if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != check:
            return {}  # damaged: as if deleted
        collecting = gc.isenabled()
        gc.disable()  # unpickling makes many lasting objects and no garbage: collections would only rescan them
        try:
            version, entries = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a memo from another version of Python or of this code
            return {}
        finally:
            if collecting:
                gc.enable()
        return entries if version == self.version and isinstance(entries, dict) else {}


class ShardedMemo:
    """A memo kept in `count` files, an entry's file chosen by its key: a run that changes a few
    entries rewrites a few small files, not the whole memo (a 1,000-topic library's load memo is
    19 MB, its checks' 5 MB). The same methods as Memo, and the same guarantees, file by file."""

    def __init__(self, folder: Path | None, name: str, count: int = 64, version: str = ""):
        version = version or code_version()
        self.parts = [Memo(folder, f"{name}-{i:02x}", version) for i in range(count)]

    def _part(self, key: str) -> Memo:
        return self.parts[zlib.crc32(key.encode()) % len(self.parts)]

    def __contains__(self, key: str) -> bool:
        return key in self._part(key)

    def get(self, key: str, compute: Callable[[], T]) -> T:
        return self._part(key).get(key, compute)

    def known(self, keys: Iterable[str]) -> dict[str, Any]:
        shares: list[list[str]] = [[] for _ in self.parts]
        count = len(self.parts)
        for key in keys:
            shares[zlib.crc32(key.encode()) % count].append(key)
        found = {}
        for part, share in zip(self.parts, shares):
            found.update(part.known(share))
        return found

    def put(self, key: str, value: T) -> T:
        return self._part(key).put(key, value)

    def save(self) -> None:
        for part in self.parts:
            part.save()

    @property
    def hits(self) -> int:
        return sum(part.hits for part in self.parts)

    @property
    def misses(self) -> int:
        return sum(part.misses for part in self.parts)
