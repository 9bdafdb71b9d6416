"""Curators' checks that go beyond validity: claims resting on weak sources only, and what has gone stale.

`load_knowledge` proves the files are well formed; these checks read the same files again for line
numbers (the loaded `Knowledge` has none) and report `file:line: what to look at`. They never fail a
load: a weak-only claim or an old check date is a task for a curator, not a reason to stop serving.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bot.core.knowledge import Knowledge
from bot.core.schema import SourceKind

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Sections whose entries cite sources directly, and the field that names an entry in a message.
_CITING = {"frameworks": "id", "countries": "code", "timeline": "date", "summits": "id", "faq": "id", "templates": "id"}
_UPDATED = ("frameworks", "countries", "faq", "templates")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class _Entry:
    file: str
    line: int
    section: str
    name: str
    node: yaml.MappingNode


def _value(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _scalars(node: yaml.Node | None) -> list[str]:
    if isinstance(node, yaml.SequenceNode):
        return [str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode)]
    return []


def _entries(folder: Path) -> Iterator[_Entry]:
    """Every mapping in every section of every file, with its file and 1-based line."""
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
        if not isinstance(root, yaml.MappingNode):
            continue
        for key, section in root.value:
            items = section.value if isinstance(section, yaml.SequenceNode) else [section]
            for item in items:
                if not isinstance(item, yaml.MappingNode):
                    continue
                name_node = _value(item, _CITING.get(key.value, "id"))
                name = str(name_node.value) if isinstance(name_node, yaml.ScalarNode) else key.value
                yield _Entry(str(path), item.start_mark.line + 1, key.value, name, item)


def _cited(entry: _Entry) -> Iterator[tuple[int, str, list[str]]]:
    """(line, what, source ids) for each place in an entry that cites sources."""
    if entry.section in _CITING or entry.section == "horizon":
        yield entry.line, f"{entry.section} {entry.name}", _scalars(_value(entry.node, "sources"))
    elif entry.section == "offices":
        holders = _value(entry.node, "holders")
        for holder in holders.value if isinstance(holders, yaml.SequenceNode) else []:
            who = _value(_value(holder, "who") or holder, "en")
            label = f"offices {entry.name}: {who.value if isinstance(who, yaml.ScalarNode) else 'holder'}"
            yield holder.start_mark.line + 1, label, _scalars(_value(holder, "sources"))


def weak_only(kb: Knowledge, folder: str | Path) -> list[Finding]:
    """Entries whose every source is of kind `weak`: the claim needs an official, press or reference source."""
    found = []
    for entry in _entries(Path(folder)):
        for line, what, ids in _cited(entry):
            kinds = [kb.sources[sid].kind for sid in ids if sid in kb.sources]
            if kinds and all(kind is SourceKind.weak for kind in kinds):
                found.append(
                    Finding(
                        entry.file,
                        line,
                        f"{what} rests only on weak sources ({', '.join(ids)}): "
                        "add an official, press or reference source",
                    )
                )
    return found


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first_day(partial: str) -> date:
    parts = [int(p) for p in partial.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(partial: str) -> date:
    parts = [int(p) for p in partial.split("-")]
    if len(parts) == 3:
        return date(*parts)
    month = parts[1] if len(parts) == 2 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def stale(kb: Knowledge, folder: str | Path, months: int = 12, today: date | None = None) -> list[Finding]:
    """Sources checked, and entries updated, more than `months` ago; announced events whose date has passed.

    An event or summit dated after the horizon is "announced": the knowledge cannot know its outcome.
    Once its date is behind us it should be curated (outcome added, horizon moved), so it is listed.
    """
    today = today or date.today()
    cutoff = months_before(today, months)
    found = []
    for entry in _entries(Path(folder)):
        node = entry.node
        if entry.section == "sources":
            checked = _value(node, "checked")
            if isinstance(checked, yaml.ScalarNode) and date.fromisoformat(str(checked.value)) < cutoff:
                found.append(
                    Finding(
                        entry.file,
                        entry.line,
                        f"source {entry.name} was last checked on {checked.value}, more than {months} months ago",
                    )
                )
        if entry.section in _UPDATED:
            updated = _value(node, "updated")
            if isinstance(updated, yaml.ScalarNode) and date.fromisoformat(str(updated.value)) < cutoff:
                found.append(
                    Finding(
                        entry.file,
                        entry.line,
                        f"{entry.section} {entry.name} was last updated on "
                        f"{updated.value}, more than {months} months ago",
                    )
                )
        if entry.section == "horizon" and kb.horizon is not None and kb.horizon < cutoff:
            found.append(
                Finding(
                    entry.file,
                    entry.line,
                    f"the horizon ({kb.horizon}) is more than {months} months old: check newer sources, then move it",
                )
            )
        if kb.horizon is None or entry.section not in ("summits", "timeline"):
            continue
        start = _value(node, "start" if entry.section == "summits" else "date")
        end = _value(node, "end") if entry.section == "summits" else start
        if not (isinstance(start, yaml.ScalarNode) and isinstance(end, yaml.ScalarNode)):
            continue
        if _first_day(str(start.value)) > kb.horizon and _last_day(str(end.value)) < today:
            what = f"summit {entry.name}" if entry.section == "summits" else f"timeline event of {start.value}"
            found.append(
                Finding(
                    entry.file,
                    entry.line,
                    f"{what} is still 'announced' (after the horizon {kb.horizon}) "
                    "but its date has passed: add what happened, then move the horizon",
                )
            )
    return found
