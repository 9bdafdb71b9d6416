"""The compiled knowledge cache: validated knowledge, the FAQ index and the country index, kept between
runs as plain JSON.

`natobot ask` starts a fresh process for one question; parsing the YAML, validating it and building the
indexes cost more than the answer. `answerer(folder, cache_dir)` keeps them in one file per knowledge
version, so later runs skip them:

- **Safe format**: JSON only (no pickle, no code): a header line (format, key, SHA-256 of the rest),
  then the payload. Only data validated by this code is written: each file's ``KnowledgeFile`` is
  dumped, validated again from the dump and compared with the original before anything is stored.
- **Checked, not re-validated**: a payload whose SHA-256 is not the header's is ignored, so what is
  read is byte for byte what this code wrote after validating it; its models are then constructed
  without running pydantic's validators (`_construct`: every field present, each value of its declared
  type, nested models recursively; `model_construct` does the rest), and the knowledge is
  cross-checked by the same code as a YAML load (`assemble`). Who could forge a file that passes is
  someone who can already write our files (the directory is ours and private), and so our code too.
- **Private directory**: created 0700; a directory that is not ours, is a symlink, or that others can
  read or write is not used (`private_dir`). A cache file must be a regular file owned by us.
- **Keyed** by the SHA-256 of the knowledge files (names and bytes), of every source file of
  `bot/core`, of the pycountry data the country index is built from, and of the Python version:
  changing any of them rebuilds it.
- **Written atomically** (a temporary file in the same directory, then `os.replace`), so a reader
  never sees half a file; an unreadable or corrupt file is ignored and rewritten.

With or without the cache, the same question gets the same reply (tests/test_compiled.py checks it).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
import types
from array import array
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, HttpUrl

from bot.core import countries, retrieval
from bot.core.knowledge import Knowledge, assemble, knowledge_files, load_files, read_files
from bot.core.schema import KnowledgeFile

if TYPE_CHECKING:
    from bot.core.answerer import Answerer

FORMAT = 2
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
    text = f"{FORMAT}\0{version}\0{knowledge_digest}\0{code_digest()}\0{countries.iso_data_digest()}"
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


def _pack(index: dict[str, Any]) -> dict[str, Any]:
    """The FAQ index data with its postings packed: every document id (int32) and weight (float64, exact)
    in two base64 strings, little-endian, and each posting's length. Parsing 20,000 floats from JSON
    text costs more than the rest of the file."""
    docs, weights = array("i"), array("d")
    for d, w in index["postings"]:
        docs.extend(d)
        weights.extend(w)
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        docs.byteswap()
        weights.byteswap()
    packed = {
        "sizes": [len(d) for d, _ in index["postings"]],
        "docs": base64.b64encode(docs.tobytes()).decode(),
        "weights": base64.b64encode(weights.tobytes()).decode(),
    }
    return {**index, "postings": packed}


def _unpack(index: Any) -> dict[str, Any]:
    """`_pack` undone: the data `FaqIndex.to_data` gave (which `retrieval` checks against its entries)."""
    packed = index["postings"]
    docs, weights = array("i"), array("d")
    docs.frombytes(base64.b64decode(packed["docs"], validate=True))
    weights.frombytes(base64.b64decode(packed["weights"], validate=True))
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        docs.byteswap()
        weights.byteswap()
    sizes = packed["sizes"]
    if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes) or sum(sizes) != len(docs):
        raise ValueError("packed postings do not add up")
    if len(weights) != len(docs):
        raise ValueError("packed postings do not add up")
    all_docs, all_weights = docs.tolist(), weights.tolist()
    postings, start = [], 0
    for n in sizes:
        postings.append([all_docs[start : start + n], all_weights[start : start + n]])
        start += n
    return {**index, "postings": postings}


def _encode(key: str, payload: dict[str, Any]) -> bytes:
    """The header line (format, key, SHA-256 of the payload), then the payload: both JSON."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    header = {"format": FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(header).encode() + b"\n" + body


def _decode(raw: bytes, key: str) -> Any:
    """The payload of a cache file `_encode` wrote for `key`; ValueError for anything else."""
    head, newline, body = raw.partition(b"\n")
    header = json.loads(head) if newline else None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        raise ValueError("not this knowledge's cache")
    if header.get("sha256") != hashlib.sha256(body).hexdigest():
        raise ValueError("the cache file is not what was written")
    return json.loads(body)


def _write_atomic(path: Path, data: bytes) -> bool:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".knowledge-", suffix=".tmp", dir=path.parent)  # created 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
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


Convert = Callable[[Any], Any]


def _plain(kind: type) -> Convert:
    def convert(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return convert


def _converter(annotation: Any) -> Convert:
    """How to turn the JSON (`model_dump(mode="json")`) of a field of this type back into its value,
    checking its type; TypeError for a type the schema does not use yet (add it here)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _converter(args[0])
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _converter(next(a for a in args if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])

        def items(value: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise ValueError("expected a list")
            return tuple(item(v) for v in value)

        return items
    if isinstance(annotation, type) and not origin:
        if issubclass(annotation, BaseModel):
            return _model(annotation)
        if issubclass(annotation, Enum):
            return lambda value: annotation(_plain(str)(value))
        if annotation is date:
            return lambda value: date.fromisoformat(_plain(str)(value))
        if annotation is HttpUrl:
            return lambda value: HttpUrl(_plain(str)(value))
        if annotation in (str, int, bool):
            return _plain(annotation)
    raise TypeError(f"no converter for {annotation!r}")


@cache
def _model(cls: type[BaseModel]) -> Convert:
    fields = {name: _converter(info.annotation) for name, info in cls.model_fields.items()}
    names = fields.keys()

    def construct(value: Any) -> BaseModel:
        if type(value) is not dict or value.keys() != names:
            raise ValueError(f"{cls.__name__}: expected the fields {sorted(names)}")
        return cls.model_construct(**{name: convert(value[name]) for name, convert in fields.items()})

    return construct


def _construct(data: Any) -> KnowledgeFile:
    """A `KnowledgeFile` from the JSON this code dumped of a validated one, without re-validating it."""
    built = _model(KnowledgeFile)(data)
    assert isinstance(built, KnowledgeFile)
    return built


def _round_trips(dumped: list[dict[str, Any]], parsed: list[tuple[str, KnowledgeFile]]) -> bool:
    """Whether each dump validates, and constructs, back to what was dumped: only then is it stored,
    since a hit constructs it again without validating."""
    try:
        return all(
            KnowledgeFile.model_validate(d["data"]) == kf == _construct(d["data"])
            for d, (_, kf) in zip(dumped, parsed, strict=True)
        )
    except (ValueError, TypeError):  # a field type `_converter` does not know yet: no cache, same answers
        return False


def _from_cache(folder: Path, raw: bytes, key: str, digest: str) -> tuple[Knowledge, dict[str, Any], dict[str, Any]]:
    """Knowledge, FAQ index data and country index data from a cache file; any error: not usable."""
    data = _decode(raw, key)
    parsed: list[tuple[str, KnowledgeFile, dict[tuple[str | int, ...], int]]] = [
        (str(folder / str(item["name"])), _construct(item["data"]), {}) for item in data["files"]
    ]
    index, names = _unpack(data["index"]), data["countries"]
    if not isinstance(index, dict) or not isinstance(names, dict) or not isinstance(names["names"], dict):
        raise ValueError("no index data")
    return assemble(folder, parsed, [], digest, iso_codes=names["names"].keys()), index, names


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
            kb, index, names = _from_cache(root, raw, key, digest)
            retrieval.use_compiled(index)
            countries.use_compiled(kb, names)
            built = Answerer(kb)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            pass  # corrupt or from another version of the code (base64's and pydantic's errors are ValueErrors)
        else:
            loaded.status = "hit"
            return built
        finally:
            retrieval.use_compiled(None)
            countries.use_compiled(None)
    kb, parsed = load_files(root, files, digest)
    built = Answerer(kb)
    dumped = [{"name": name, "data": kf.model_dump(mode="json")} for name, kf in parsed]
    if _round_trips(dumped, parsed):
        payload = {"files": dumped, "index": _pack(built.index.to_data()), "countries": built.countries.to_data()}
        ok = _write_atomic(path, _encode(key, payload))
        loaded.status = "miss" if ok else "off"
    return built
