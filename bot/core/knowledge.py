"""Load and validate the YAML knowledge folder into one immutable `Knowledge`.

Every problem is reported as `file:line: what is wrong`, because the people who edit these
files are curators, not programmers: an error must point at the line to fix. Loading is
all-or-nothing, so a half-valid knowledge base never serves answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot.core.schema import (
    Country,
    Event,
    Faq,
    Framework,
    KnowledgeFile,
    Names,
    Office,
    Source,
    Status,
    Summit,
    Template,
)

if TYPE_CHECKING:
    import yaml


@cache
def _loader() -> type[yaml.SafeLoader]:
    """Safe loading with dates left as text, so pydantic validates them and errors get a line.

    Made on first use: a bot started from the compiled knowledge (`bot.core.compiled`) never parses YAML.
    """
    import yaml

    try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing.
        base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment] # same interface, C parser
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader
    loader: type[yaml.SafeLoader] = type("_Loader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return loader


Path_ = tuple[str | int, ...]
MAX_FILE_CHARS = 5_000_000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder cannot be served; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n{lines}{more}")


@dataclass(frozen=True)
class Knowledge:
    """Everything the answer core knows, indexed for lookup; never mutated after loading."""

    sources: Mapping[str, Source]
    frameworks: Mapping[str, Framework]
    countries: Mapping[str, Country]
    timeline: tuple[Event, ...]
    summits: tuple[Summit, ...]
    faq: tuple[Faq, ...]
    templates: Mapping[str, Template]
    names: Mapping[str, Names]
    version: str
    updated: date | None
    files: tuple[str, ...] = field(default=())
    offices: Mapping[str, Office] = field(default_factory=dict)
    horizon: date | None = None  # the sources run to this date; later events are unknown

    def members(self) -> list[Country]:
        return sorted(
            (c for c in self.countries.values() if c.status is Status.member),
            key=lambda c: (c.joined or date.min, c.code),
        )


def _line_map(node: yaml.Node, path: Path_, out: dict[Path_, int], dups: list[tuple[int, str]]) -> None:
    """Record the 1-based line of every value by its path, and note duplicate keys."""
    import yaml

    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                dups.append((key.start_mark.line + 1, name))
            seen.add(name)
            out[(*path, name)] = key.start_mark.line + 1
            _line_map(value, (*path, name), out, dups)
            out[(*path, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), out, dups)


def _line_for(lines: Mapping[Path_, int], loc: Path_) -> int:
    """The line of the deepest known ancestor of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _describe(error: Mapping[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
    msg = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"{loc}: this field is required"
    if error["type"] == "extra_forbidden":
        return f"{loc}: unknown field (check the spelling)"
    return f"{loc}: {msg}"


def _parse_file(
    raw: bytes | OSError, rel: str, problems: list[Problem]
) -> tuple[KnowledgeFile | None, dict[Path_, int]]:
    """Parse and validate one file's bytes (or report why it could not be read)."""
    import yaml

    _Loader = _loader()
    try:
        if isinstance(raw, OSError):
            raise raw
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, 1, f"cannot read the file: {exc}"))
        return None, {}
    if len(text) > MAX_FILE_CHARS:
        problems.append(Problem(rel, 1, f"file too large ({len(text):,} characters; the limit is {MAX_FILE_CHARS:,})"))
        return None, {}
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                # Aliases can expand exponentially ("billion laughs"); curators never need them.
                line = event.start_mark.line + 1 if event.start_mark else 1
                problems.append(Problem(rel, line, "YAML anchors and aliases (& and *) are not allowed"))
                return None, {}
        loader = _Loader(text)
        try:  # one parse: the node tree gives line numbers, and the same tree is constructed
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(rel, line, f"not valid YAML: {reason}"))
        return None, {}
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, absurd nesting
        problems.append(Problem(rel, 1, f"a value cannot be read: {str(exc)[:120]}"))
        return None, {}
    lines: dict[Path_, int] = {}
    dups: list[tuple[int, str]] = []
    if node is not None:
        _line_map(node, (), lines, dups)
    for line, name in dups:
        problems.append(Problem(rel, line, f"duplicate key '{name}'"))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "the file must be a mapping of sections (sources, countries, faq, ...)"))
        return None, lines
    try:
        return KnowledgeFile.model_validate(data), lines
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
            problems.append(Problem(rel, _line_for(lines, loc), _describe(error)))
        return None, lines


def _iter_refs(kf: KnowledgeFile) -> Iterator[tuple[Path_, str, str]]:
    """(path, kind, id) for every cross-reference in a file."""
    for section in ("frameworks", "countries", "timeline", "summits", "faq", "templates"):
        for i, item in enumerate(getattr(kf, section)):
            for j, sid in enumerate(item.sources):
                yield (section, i, "sources", j), "source", sid
    for i, office in enumerate(kf.offices):
        for j, holder in enumerate(office.holders):
            for k, sid in enumerate(holder.sources):
                yield ("offices", i, "holders", j, "sources", k), "source", sid
    if kf.horizon is not None:
        for j, sid in enumerate(kf.horizon.sources):
            yield ("horizon", "sources", j), "source", sid
    for i, country in enumerate(kf.countries):
        for j, fid in enumerate(country.frameworks):
            yield ("countries", i, "frameworks", j), "framework", fid
    for section in ("timeline", "faq"):
        for i, item in enumerate(getattr(kf, section)):
            for j, code in enumerate(item.countries):
                yield (section, i, "countries", j), "country", code
    for i, country in enumerate(kf.countries):
        yield ("countries", i, "code"), "country", country.code
    for i, names in enumerate(kf.names):
        yield ("names", i, "code"), "country", names.code
    for i, summit in enumerate(kf.summits):
        yield ("summits", i, "host"), "country", summit.host
        for j, attendee in enumerate(summit.attendees):
            yield ("summits", i, "attendees", j, "country"), "country", attendee.country


def _ident(section: str, item: Any) -> str:
    """The key of an entry in its section: a country's code, else its id (every other model has one)."""
    if section in ("countries", "names"):
        return str(item.code)
    return str(item.id)


def knowledge_files(folder: str | Path) -> list[Path]:
    """The knowledge files of `folder`, in the order they are read; `KnowledgeError` if there are none."""
    root = Path(folder)
    if not root.is_dir():
        raise KnowledgeError(
            [Problem(str(root), 1, "knowledge folder not found (set --knowledge or NATOBOT_KNOWLEDGE)")]
        )
    paths = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        raise KnowledgeError([Problem(str(root), 1, "no .yaml files in the knowledge folder")])
    return paths


def read_files(paths: list[Path]) -> tuple[list[tuple[Path, bytes | OSError]], str]:
    """Each file's bytes (or why it cannot be read), and the SHA-256 of them all with their names."""
    digest = hashlib.sha256()
    out: list[tuple[Path, bytes | OSError]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:  # unreadable (permissions): reported like any other problem, by _parse_file
            digest.update(path.name.encode() + b"\0" + str(exc).encode())
            out.append((path, exc))
            continue
        digest.update(path.name.encode() + b"\0" + data)
        out.append((path, data))
    return out, digest.hexdigest()


def load_knowledge(folder: str | Path) -> Knowledge:
    """Load every `*.yaml` file in `folder`; raise `KnowledgeError` listing all problems."""
    return load_files(folder, *read_files(knowledge_files(folder)))[0]


def load_files(
    folder: str | Path, files: list[tuple[Path, bytes | OSError]], digest: str
) -> tuple[Knowledge, list[tuple[str, KnowledgeFile]]]:
    """Parse, validate and assemble the files `read_files` read; also return each file's validated
    content by name (what `bot.core.compiled` stores)."""
    problems: list[Problem] = []
    parsed: list[tuple[str, KnowledgeFile, dict[Path_, int]]] = []
    names: list[tuple[str, KnowledgeFile]] = []
    for path, raw in files:
        kf, lines = _parse_file(raw, str(path), problems)
        if kf is not None:
            parsed.append((str(path), kf, lines))
            names.append((path.name, kf))
    return assemble(folder, parsed, problems, digest), names


def assemble(
    folder: str | Path,
    parsed: list[tuple[str, KnowledgeFile, dict[Path_, int]]],
    problems: list[Problem],
    digest: str,
    iso_codes: Collection[str] | None = None,
) -> Knowledge:
    """Cross-check the validated files (duplicates, references, required templates) and index them;
    `KnowledgeError` with every problem, those of parsing included, if anything is wrong.

    `iso_codes`: the ISO 3166-1 alpha-2 codes, when the caller has them (the compiled cache keeps
    pycountry's); else pycountry is asked."""
    root = Path(folder)
    if iso_codes is None:
        import pycountry

        iso_codes = {c.alpha_2 for c in pycountry.countries}

    tables: dict[str, dict[str, Any]] = {
        s: {} for s in ("sources", "frameworks", "countries", "summits", "offices", "faq", "templates", "names")
    }
    where: dict[tuple[str, str], str] = {}
    for rel, kf, lines in parsed:
        for section, table in tables.items():
            for i, item in enumerate(getattr(kf, section)):
                ident = _ident(section, item)
                line = _line_for(lines, (section, i))
                if ident in table:
                    problems.append(
                        Problem(rel, line, f"{section}: '{ident}' is defined twice (also at {where[(section, ident)]})")
                    )
                    continue
                table[ident] = item
                where[(section, ident)] = f"{rel}:{line}"

    known = {"source": tables["sources"], "framework": tables["frameworks"]}
    for rel, kf, lines in parsed:
        for loc, kind, ident in _iter_refs(kf):
            if kind == "country":
                if ident not in iso_codes:
                    problems.append(
                        Problem(rel, _line_for(lines, loc), f"'{ident}' is not an ISO 3166-1 alpha-2 country code")
                    )
            elif ident not in known[kind]:
                problems.append(Problem(rel, _line_for(lines, loc), f"unknown {kind} id '{ident}'"))

    for rel, kf, lines in parsed:
        for i, names in enumerate(kf.names):
            if names.code in tables["countries"]:
                problems.append(
                    Problem(
                        rel,
                        _line_for(lines, ("names", i)),
                        f"{names.code} has an entry in countries: put these names in its aliases",
                    )
                )

    horizons = [(rel, lines, kf.horizon) for rel, kf, lines in parsed if kf.horizon is not None]
    for rel, lines, _ in horizons[1:]:
        problems.append(
            Problem(rel, _line_for(lines, ("horizon",)), f"horizon: defined twice (also in {horizons[0][0]}); keep one")
        )

    for name in ("non-member",):
        if name not in tables["templates"]:
            problems.append(Problem(str(root), 1, f"templates: the template '{name}' is required"))

    if problems:
        raise KnowledgeError(problems)

    timeline = tuple(sorted((e for _, kf, _ in parsed for e in kf.timeline), key=lambda e: e.date))
    dated = [d.updated for t in ("frameworks", "countries", "faq", "templates") for d in tables[t].values()]
    return Knowledge(
        sources=MappingProxyType(tables["sources"]),
        frameworks=MappingProxyType(tables["frameworks"]),
        countries=MappingProxyType(tables["countries"]),
        timeline=timeline,
        summits=tuple(sorted(tables["summits"].values(), key=lambda s: s.start)),
        faq=tuple(tables["faq"].values()),
        templates=MappingProxyType(tables["templates"]),
        names=MappingProxyType(tables["names"]),
        version=digest[:12],
        updated=max(dated) if dated else None,
        files=tuple(rel for rel, _, _ in parsed),
        offices=MappingProxyType(tables["offices"]),
        horizon=horizons[0][2].date if horizons else None,
    )
