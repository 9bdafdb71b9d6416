"""The compiled knowledge cache: validated knowledge and the FAQ index, kept between runs as plain JSON.

`natobot ask` starts a fresh process for one question; parsing the YAML and building the FAQ index
cost more than the answer. `answerer(folder, cache_dir)` keeps both in one JSON file per knowledge
version, so later runs skip them:

- **Safe format**: JSON only (no pickle, no code). What is read is validated again by the same
  pydantic models (the ``KnowledgeFile`` of each file) and cross-checked by the same code as a
  YAML load; the index data is checked against the entries it claims to index.
- **Private directory**: created 0700; a directory that is not ours, is a symlink, or that others can
  read or write is not used (`private_dir`). A cache file must be a regular file owned by us.
- **Keyed** by the SHA-256 of the knowledge files (names and bytes), of every source file of
  `bot/core` and of the Python version: editing either rebuilds it.
- **Written atomically** (a temporary file in the same directory, then `os.replace`), so a reader
  never sees half a file; an unreadable or corrupt file is ignored and rewritten.

With or without the cache, the same question gets the same reply (tests/test_compiled.py checks it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core import retrieval
from bot.core.knowledge import Knowledge, assemble, knowledge_files, load_files, read_files
from bot.core.schema import KnowledgeFile

if TYPE_CHECKING:
    from bot.core.answerer import Answerer

FORMAT = 1
KEEP = 4  # cache files kept (several knowledge folders or versions in use on one machine)
CORE = Path(__file__).resolve().parent


def default_cache_dir(environ: Mapping[str, str]) -> Path | None:
    """``$NATOBOT_CACHE_DIR`` (``off`` or empty: no cache), else ``$XDG_CACHE_HOME/natobot``, else
    ``~/.cache/natobot``."""
    if "NATOBOT_CACHE_DIR" in environ:
        value = environ["NATOBOT_CACHE_DIR"].strip()
        return None if value.lower() in ("", "off", "0", "false", "no") else Path(value)
    base = environ.get("XDG_CACHE_HOME", "").strip()
    if base and Path(base).is_absolute():
        return Path(base) / "natobot"
    home = environ.get("HOME", "").strip()
    return Path(home) / ".cache" / "natobot" if home else None


def private_dir(path: Path) -> Path | None:
    """`path`, created 0700 if missing, or None if it cannot be trusted (or made)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


def code_digest() -> str:
    """SHA-256 of every source file of bot/core (names and bytes): what builds the cached data."""
    digest = hashlib.sha256()
    for path in sorted(CORE.rglob("*.py")):
        digest.update(str(path.relative_to(CORE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(knowledge_digest: str) -> str:
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    text = f"{FORMAT}\0{version}\0{knowledge_digest}\0{code_digest()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _read_private(path: Path) -> bytes | None:
    """The bytes of a regular file we own that no one else can write; None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        return f.read()


def _write_atomic(path: Path, data: dict[str, Any]) -> bool:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".knowledge-", suffix=".tmp", dir=path.parent)  # created 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    _prune(path.parent, keep=path)
    return True


def _prune(directory: Path, keep: Path) -> None:
    """Remove all but the newest `KEEP` cache files."""
    try:
        files = sorted(directory.glob("knowledge-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in [p for p in files if p != keep][KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _from_cache(folder: Path, data: Any, key: str, digest: str) -> tuple[Knowledge, dict[str, Any]]:
    """Knowledge and index data from a parsed cache file; any error means the file is not usable."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        raise ValueError("not this knowledge's cache")
    parsed: list[tuple[str, KnowledgeFile, dict[tuple[str | int, ...], int]]] = [
        (str(folder / str(item["name"])), KnowledgeFile.model_validate(item["data"]), {}) for item in data["files"]
    ]
    index = data["index"]
    if not isinstance(index, dict):
        raise ValueError("no index data")
    return assemble(folder, parsed, [], digest), index


class Loaded:
    """What `answerer` did, for tests and the benchmark: 'hit', 'miss' (built and written), 'off'."""

    status = "off"


def answerer(folder: str | Path, cache_dir: Path | None, loaded: Loaded | None = None) -> Answerer:
    """An Answerer for the knowledge in `folder`, from the cache in `cache_dir` when it holds this
    knowledge version, else built (and written there). `cache_dir` None: no cache."""
    from bot.core.answerer import Answerer

    loaded = loaded or Loaded()
    root = Path(folder)
    files, digest = read_files(knowledge_files(root))
    directory = private_dir(cache_dir) if cache_dir is not None else None
    if directory is None:
        loaded.status = "off"
        return Answerer(load_files(root, files, digest)[0])
    key = cache_key(digest)
    path = directory / f"knowledge-{key}.json"
    raw = _read_private(path)
    if raw is not None:
        try:
            kb, index = _from_cache(root, json.loads(raw), key, digest)
            retrieval.use_compiled(index)
            built = Answerer(kb)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            pass  # corrupt or from another version of the code (pydantic's ValidationError is a ValueError)
        else:
            loaded.status = "hit"
            return built
        finally:
            retrieval.use_compiled(None)
    kb, parsed = load_files(root, files, digest)
    built = Answerer(kb)
    dumped = [{"name": name, "data": kf.model_dump(mode="json")} for name, kf in parsed]
    if all(KnowledgeFile.model_validate(d["data"]) == kf for d, (_, kf) in zip(dumped, parsed, strict=True)):
        ok = _write_atomic(path, {"format": FORMAT, "key": key, "files": dumped, "index": built.index.to_data()})
        loaded.status = "miss" if ok else "off"
    return built
