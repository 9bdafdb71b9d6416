"""The compiled knowledge cache (bot/core/compiled.py): same answers, safe storage, rebuilt when stale."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from bot import cli
from bot.core import compiled, countries
from bot.core.answerer import Answerer
from bot.core.knowledge import KnowledgeError, load_knowledge
from bot.core.reply import Query
from bot.core.schema import KnowledgeFile

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"


def _load(folder: Path, cache: Path | None) -> tuple[Answerer, str]:
    loaded = compiled.Loaded()
    return compiled.answerer(folder, cache, loaded), loaded.status


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.iterdir())


@pytest.fixture(scope="module")
def plain_answerer() -> Answerer:
    return Answerer(load_knowledge(KNOWLEDGE))


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


def test_replies_are_identical_with_and_without_the_cache(tmp_path: Path, plain_answerer: Answerer) -> None:
    cache = tmp_path / "cache"
    built, status = _load(KNOWLEDGE, cache)
    assert status == "miss"
    cached, status = _load(KNOWLEDGE, cache)
    assert status == "hit"
    assert cached.knowledge == plain_answerer.knowledge
    assert cached.index.to_data() == plain_answerer.index.to_data()
    assert cached.countries.to_data() == plain_answerer.countries.to_data()
    assert vars(cached.countries) == vars(plain_answerer.countries) | {"_fuzzy_cache": {}}
    lines = (ROOT / "tests" / "data" / "dev_frames.tsv").read_text(encoding="utf-8").splitlines()[1:]
    questions = [line.split("\t")[0] for line in lines if line.strip()]
    questions += ["/nato-status korea", "/nato-members", "hello", "한국은 나토 회원국인가요?"]
    assert len(questions) >= 300
    for question in questions:
        expected = plain_answerer.answer(Query(question, platform="console"))
        assert built.answer(Query(question, platform="console")) == expected, question
        assert cached.answer(Query(question, platform="console")) == expected, question


def test_the_cache_is_private_plain_json_written_atomically(tmp_path: Path) -> None:
    cache = tmp_path / "a" / "cache"
    _load(KNOWLEDGE, cache)
    assert cache.stat().st_mode & 0o777 == 0o700
    [path] = _cache_files(cache)  # no temporary file left behind
    assert path.name.startswith("knowledge-") and path.suffix == ".json"
    assert path.stat().st_mode & 0o777 == 0o600
    header, data = _read(path)
    assert header["format"] == compiled.FORMAT and {f["name"] for f in data["files"]} >= {"faq.yaml", "countries.yaml"}
    assert {"index", "countries"} <= data.keys()


def test_a_failed_write_leaves_no_file_and_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(compiled.os, "replace", fail)
    answerer, status = _load(KNOWLEDGE, tmp_path / "cache")
    assert status == "off" and _cache_files(tmp_path / "cache") == []
    assert answerer.answer(Query("is korea in nato")).matched


def test_rebuilt_when_the_knowledge_changes(tmp_path: Path, knowledge: Path) -> None:
    cache = tmp_path / "cache"
    assert _load(knowledge, cache)[1] == "miss"
    assert _load(knowledge, cache)[1] == "hit"
    faq = knowledge / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n# a curator's note\n", encoding="utf-8")
    answerer, status = _load(knowledge, cache)
    assert status == "miss" and answerer.knowledge.version == load_knowledge(knowledge).version
    assert _load(knowledge, cache)[1] == "hit"
    assert len(_cache_files(cache)) == 2


def test_rebuilt_when_the_code_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    assert _load(KNOWLEDGE, cache)[1] == "miss"
    monkeypatch.setattr(compiled, "code_digest", lambda: "another version of bot/core")
    assert _load(KNOWLEDGE, cache)[1] == "miss"
    assert _load(KNOWLEDGE, cache)[1] == "hit"


def test_rebuilt_when_pycountry_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    assert _load(KNOWLEDGE, cache)[1] == "miss"
    assert len(countries.iso_data_digest()) == 64
    monkeypatch.setattr(countries, "iso_data_digest", lambda: "another pycountry")
    assert _load(KNOWLEDGE, cache)[1] == "miss"


def test_every_field_type_of_the_schema_can_be_constructed() -> None:
    # A field of a type `_converter` does not know would make every start a miss: add it there.
    compiled._model(KnowledgeFile)
    with pytest.raises(TypeError):
        compiled._converter(dict[str, int])


def test_a_hit_constructs_equal_models_without_validating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _load(KNOWLEDGE, cache)
    expected = load_knowledge(KNOWLEDGE)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated on a hit")

    monkeypatch.setattr(KnowledgeFile, "model_validate", never)
    answerer, status = _load(KNOWLEDGE, cache)
    assert status == "hit" and answerer.knowledge == expected


def test_the_key_covers_every_core_source_file() -> None:
    before = compiled.code_digest()
    assert before == compiled.code_digest()
    sources = {p.name for p in compiled.CORE.rglob("*.py")}
    assert {"retrieval.py", "frame.py", "compiled.py", "generate.py"} <= sources


def test_invalid_knowledge_is_never_cached(tmp_path: Path, knowledge: Path) -> None:
    faq = knowledge / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("updated: ", "updated: x", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError):
        _load(knowledge, tmp_path / "cache")
    assert _cache_files(tmp_path / "cache") == []


def _read(path: Path) -> tuple[dict[str, object], dict[str, object]]:
    """A cache file's header and payload: two lines of JSON."""
    head, body = path.read_bytes().split(b"\n", 1)
    return json.loads(head), json.loads(body)


def _write(path: Path, header: dict[str, object], data: object) -> None:
    """Write a payload under a header whose SHA-256 matches it: corruption the checksum does not catch."""
    body = json.dumps(data).encode()
    path.write_bytes(json.dumps({**header, "sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n" + body)


def _corrupt(path: Path, how: str) -> None:
    header, data = _read(path)
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return
    if how == "garbage":
        path.write_bytes(b"\x00\xff not json")
        return
    if how == "postings":  # a document id beyond the index's documents
        index = compiled._unpack(data["index"])
        index["postings"][0][0] = [10**9]
        data["index"] = compiled._pack(index)
    elif how == "packed":  # postings that do not add up to their sizes
        data["index"]["postings"]["sizes"][0] += 1
    elif how == "knowledge":
        data["files"][0]["data"] = {"unknown": 1}
    elif how == "shape":
        data = [1, 2, 3]
    elif how == "index":
        data["index"] = {"fingerprint": data["index"]["fingerprint"]}
    elif how == "edited":  # a payload that is not what was written: the checksum catches it
        data["files"][0]["name"] = "other.yaml"
        body = json.dumps(data).encode()
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)
        return
    elif how == "field":  # a field missing, one of a wrong type, a country the index does not know
        data["files"][0]["data"].pop("sources")
    elif how == "type":
        country = next(f["data"]["countries"][0] for f in data["files"] if f["data"]["countries"])
        country["joined"] = 1949
    elif how == "country":
        data["countries"]["exact"]["korea"] = "XX"
    _write(path, header, data)


CORRUPTIONS = [
    *("truncated", "garbage", "postings", "packed", "knowledge", "shape"),
    *("index", "edited", "field", "type", "country"),
]


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_a_corrupt_cache_is_ignored_and_rewritten(
    tmp_path: Path, how: str, plain_answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _load(KNOWLEDGE, cache)
    [path] = _cache_files(cache)
    _corrupt(path, how)
    answerer, status = _load(KNOWLEDGE, cache)
    assert status == "miss"
    for question in ("is korea in nato", "what is the ip4", "나토 정상회의에 한국은 누가 갔어?"):
        assert answerer.answer(Query(question)) == plain_answerer.answer(Query(question))
    assert _load(KNOWLEDGE, cache)[1] == "hit"


def test_an_unreadable_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _load(KNOWLEDGE, cache)
    monkeypatch.setattr(compiled, "_read_private", lambda path: None)
    assert _load(KNOWLEDGE, cache)[1] == "miss"


def test_a_directory_others_can_open_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "shared"
    cache.mkdir(mode=0o700)
    cache.chmod(0o777)
    assert _load(KNOWLEDGE, cache)[1] == "off" and _cache_files(cache) == []


def test_a_symlinked_directory_is_not_used(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert _load(KNOWLEDGE, link)[1] == "off" and _cache_files(real) == []


def test_a_directory_owned_by_someone_else_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled.os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    assert _load(KNOWLEDGE, tmp_path / "cache")[1] == "off"


def test_a_cache_file_others_can_write_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _load(KNOWLEDGE, cache)
    [path] = _cache_files(cache)
    path.chmod(0o666)
    assert _load(KNOWLEDGE, cache)[1] == "miss"
    assert path.stat().st_mode & 0o777 == 0o600  # replaced by a private one


def test_a_symlinked_cache_file_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _load(KNOWLEDGE, cache)
    [path] = _cache_files(cache)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert _load(KNOWLEDGE, cache)[1] == "miss"


def test_old_cache_files_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    for n in range(compiled.KEEP + 3):
        monkeypatch.setattr(compiled, "code_digest", lambda n=n: f"version {n}")
        _load(KNOWLEDGE, cache)
    assert len(_cache_files(cache)) == compiled.KEEP


def test_where_the_cache_lives() -> None:
    home = {"HOME": "/home/u"}
    assert compiled.default_cache_dir(home) == Path("/home/u/.cache/natobot")
    assert compiled.default_cache_dir({**home, "XDG_CACHE_HOME": "/x"}) == Path("/x/natobot")
    assert compiled.default_cache_dir({**home, "XDG_CACHE_HOME": "relative"}) == Path("/home/u/.cache/natobot")
    assert compiled.default_cache_dir({**home, "NATOBOT_CACHE_DIR": "/c"}) == Path("/c")
    assert compiled.default_cache_dir({**home, "NATOBOT_CACHE_DIR": "off"}) is None
    assert compiled.default_cache_dir({}) is None


@pytest.mark.parametrize("env", [{}, {"NATOBOT_KNOWLEDGE": "/k/env"}, {"natobot_knowledge": "/k/lower"}])
@pytest.mark.parametrize("dotenv", ["", "NATOBOT_KNOWLEDGE=/k/dotenv\n"])
def test_ask_finds_the_knowledge_where_settings_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], dotenv: str
) -> None:
    from bot.config import Settings

    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.lower() == "natobot_knowledge":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if dotenv:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    args = argparse.Namespace(knowledge=None)
    assert cli._ask_knowledge_dir(args) == Settings().knowledge_dir
    assert cli._ask_knowledge_dir(argparse.Namespace(knowledge="/k/arg")) == Path("/k/arg")


@pytest.mark.e2e
def test_ask_loads_no_settings_framework_runtime_or_platform(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from bot.cli import main; main(['ask', 'is korea in nato']);"
        "heavy = ('pydantic_settings', 'telegram', 'discord', 'aiohttp', 'prometheus_client', 'redis', 'yaml',"
        " 'pycountry');"
        "print('LOADED', sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}"
        " | ({'bot.runtime'} & set(sys.modules))))"
    )
    env = {**os.environ, "NATOBOT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run builds the cache (and parses YAML), the second reads it
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.stdout.strip().endswith("LOADED []"), out.stdout + out.stderr
