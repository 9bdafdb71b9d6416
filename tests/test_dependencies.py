"""Dependencies (issue 15, item 12): minimums past the known CVEs, and a lock file every install uses."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXED = {"aiohttp": (3, 12, 14), "tornado": (6, 5)}  # the first releases with the fixes


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_minimums_and_the_lock_are_past_the_known_cves() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for name, fixed in FIXED.items():
        minimum = re.search(rf'"{name}(?:\[[^\]]*\])?>=([\d.]+)', pyproject)
        assert minimum and version(minimum.group(1)) >= fixed, name
        pinned = re.search(rf"^{name}==([\d.]+)$", lock, re.M | re.I)
        assert pinned and version(pinned.group(1)) >= fixed, name


def test_every_install_uses_the_lock() -> None:
    assert "-c requirements.lock" in (ROOT / "scripts" / "venv.sh").read_text(encoding="utf-8")
    assert "-c requirements.lock" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
