"""Broken knowledge must be reported as file:line with what is wrong, and never half-load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeError, load_knowledge

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

SOURCE = """\
sources:
  - id: src-a
    title: A page
    publisher: NATO
    url: https://www.nato.int/a
    kind: official
    checked: 2026-11-24
"""
TEMPLATE = """\
templates:
  - id: non-member
    text: {en: "{name} is not a member.", ko: "{name_topic} 회원국이 아닙니다."}
    sources: [src-a]
    updated: 2026-11-24
"""
COUNTRY = """\
countries:
  - code: FI
    status: member
    joined: 2023-04-04
    summary: {en: Finland is a member., ko: 핀란드는 회원국입니다.}
    sources: [src-a]
    updated: 2026-11-24
"""


def write(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    return [f"{Path(p.file).name}:{p.line}: {p.message}" for p in info.value.problems]


def test_minimal_valid_folder_loads(tmp_path: Path) -> None:
    kb = load_knowledge(write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=COUNTRY))
    assert list(kb.countries) == ["FI"]
    assert kb.members()[0].joined.isoformat() == "2023-04-04"


def test_missing_korean_text_points_at_its_line(tmp_path: Path) -> None:
    broken = COUNTRY.replace(
        "summary: {en: Finland is a member., ko: 핀란드는 회원국입니다.}", "summary:\n      en: Finland is a member."
    )
    found = problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=broken))
    assert found == ["countries.yaml:5: countries.0.summary.ko: this field is required"]


def test_unknown_source_id_is_reported_with_line(tmp_path: Path) -> None:
    broken = COUNTRY.replace("sources: [src-a]", "sources: [src-a, src-missing]")
    found = problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=broken))
    assert found == ["countries.yaml:6: unknown source id 'src-missing'"]


def test_unquoted_norway_code_explains_yaml_booleans(tmp_path: Path) -> None:
    broken = COUNTRY.replace("code: FI", "code: NO")
    found = problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=broken))
    assert len(found) == 1 and found[0].startswith("countries.yaml:2:") and '"NO"' in found[0]


def test_bad_date_duplicate_key_and_syntax_errors(tmp_path: Path) -> None:
    bad_date = COUNTRY.replace("joined: 2023-04-04", "joined: 2023-13-04")
    dup = COUNTRY.replace("    status: member\n", "    status: member\n    status: partner\n")
    found = problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, a=bad_date))
    assert len(found) == 1 and found[0].startswith("a.yaml:4: countries.0.joined")
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    assert "b.yaml:4: duplicate key 'status'" in problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, b=dup))
    (tmp_path / "b.yaml").write_text("countries:\n  - code: [FI\n", encoding="utf-8")
    assert any(p.startswith("b.yaml:") and "not valid YAML" in p for p in problems(tmp_path))


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    found = problems(write(tmp_path, sources=SOURCE, more=SOURCE, templates=TEMPLATE))
    assert len(found) == 1 and "'src-a' is defined twice" in found[0] and "sources.yaml:2" in found[0]


def test_unknown_field_and_bad_country_code(tmp_path: Path) -> None:
    typo = COUNTRY.replace("    status: member\n", "    status: member\n    stauts: x\n")
    found = problems(write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=typo))
    assert found == ["countries.yaml:4: countries.0.stauts: unknown field (check the spelling)"]
    (tmp_path / "countries.yaml").write_text(COUNTRY.replace("code: FI", "code: XX"), encoding="utf-8")
    assert problems(tmp_path) == ["countries.yaml:2: 'XX' is not an ISO 3166-1 alpha-2 country code"]


def test_member_without_accession_date_is_rejected(tmp_path: Path) -> None:
    found = problems(
        write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=COUNTRY.replace("    joined: 2023-04-04\n", ""))
    )
    assert found == ["countries.yaml:2: countries.0: a member needs 'joined' (its accession date)"]


def test_missing_folder_and_required_template(tmp_path: Path) -> None:
    assert "knowledge folder not found" in problems(tmp_path / "nope")[0]
    assert any("non-member" in p for p in problems(write(tmp_path, sources=SOURCE)))


def test_shipped_knowledge_is_valid_and_complete(kb) -> None:
    members = kb.members()
    assert len(members) == 32
    assert {c.code for c in members} >= {"US", "GB", "FI", "SE", "TR", "MK", "NO"}
    assert kb.countries["KR"].status.value == "partner"
    assert kb.countries["KP"].status.value == "non_member"
    for country in kb.countries.values():
        assert country.summary.en.strip() and country.summary.ko.strip()


def test_copy_of_shipped_knowledge_with_one_broken_line(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, folder)
    path = folder / "countries.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("status:"))
    lines[index] = lines[index].replace("status:", "status: banana #")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(folder)
    assert len(found) == 1 and found[0].startswith(f"countries.yaml:{index + 1}:") and "status" in found[0]


def test_hostile_yaml_is_refused(tmp_path: Path) -> None:
    python_tag = SOURCE.replace("title: A page", "title: !!python/object/apply:os.system ['echo pwned']")
    found = problems(write(tmp_path, sources=python_tag, templates=TEMPLATE))
    assert found[0] == (
        "sources.yaml:3: not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    (tmp_path / "sources.yaml").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "laughs.yaml").write_text(laughs, encoding="utf-8")
    assert problems(tmp_path) == ["laughs.yaml:1: YAML anchors and aliases (& and *) are not allowed"]


def test_a_huge_number_and_an_unreadable_file_are_problems_not_tracebacks(tmp_path: Path, monkeypatch) -> None:
    folder = write(tmp_path, sources=SOURCE, templates=TEMPLATE, countries=COUNTRY)
    (folder / "zz.yaml").write_text("names:\n  - code: KR\n    en: [" + "1" * 5000 + "]\n", encoding="utf-8")
    assert any(p.startswith("zz.yaml:1:") and "cannot be read" in p for p in problems(folder))
    (folder / "zz.yaml").unlink()
    real = Path.read_bytes

    def unreadable(self: Path) -> bytes:
        if self.name == "countries.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: unreadable(self).decode("utf-8"))
    assert any("countries.yaml:1: cannot read the file" in p for p in problems(folder))
