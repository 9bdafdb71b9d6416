"""The deployment (issue 15, item 10): Dockerfile and compose.yaml read as data, the image's health probe run
against healthy, degraded and frozen servers, and the console's exit when a container has no token and no terminal.

What a real `docker build` / `docker compose up` showed is in the README's "Docker" section; these tests keep the
properties it relies on from drifting without needing a Docker daemon.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.adapters.console import NO_INPUT, NO_INPUT_HELP, chat
from bot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined and comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return [(word.upper(), rest.strip()) for word, _, rest in (line.partition(" ") for line in lines)]


def stages(text: str) -> list[list[tuple[str, str]]]:
    """The build stages, each a list of its instructions beginning with its FROM."""
    found: list[list[tuple[str, str]]] = []
    for ins in instructions(text):
        if ins[0] == "FROM":
            found.append([])
        found[-1].append(ins)
    return found


DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
STAGES = stages(DOCKERFILE)
FINAL = STAGES[-1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
BOT = COMPOSE["services"]["bot"]
REDIS = COMPOSE["services"]["redis"]
MIRROR_ARGS = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST")


def _index(stage: list[tuple[str, str]], pattern: str) -> int:
    hits = [i for i, (word, rest) in enumerate(stage) if re.search(pattern, f"{word} {rest}")]
    assert hits, f"no instruction matches {pattern!r} in {stage[0][1]!r}"
    return hits[0]


# --- the Dockerfile


def test_dependencies_are_installed_from_the_lock_before_any_code_is_copied() -> None:
    """A code change must not reinstall the dependencies: their layer comes before `COPY bot`."""
    everything = [ins for stage in STAGES[:-1] for ins in stage]
    deps = _index(everything, r"^RUN .*pip install .*-c requirements\.lock")
    code = _index(everything, r"^COPY .*\bbot\b")
    assert deps < code
    copied_before = [rest for word, rest in everything[:deps] if word == "COPY"]
    sources = {source for rest in copied_before for source in rest.split()[:-1]}
    assert sources == {"pyproject.toml", "requirements.lock"}, "only what names and pins the dependencies"
    install_code = _index(everything, r"^RUN .*pip install .*--no-deps .*\.$")
    assert install_code > code
    # and in the image itself, the dependency layer is below the code layer
    assert _index(FINAL, r"^COPY --from=deps ") < _index(FINAL, r"^COPY --from=code ")


def test_a_package_mirror_can_be_passed_to_every_stage_that_runs_pip() -> None:
    pip_stages = [stage for stage in STAGES if any(word == "RUN" and "pip install" in rest for word, rest in stage)]
    assert len(pip_stages) >= 2
    for stage in pip_stages:
        declared = {rest.split("=")[0] for word, rest in stage if word == "ARG"}
        assert declared >= set(MIRROR_ARGS), stage[0]
    # never baked into the image that ships: the final stage declares none of them
    assert not [rest for word, rest in FINAL if word == "ARG"]
    assert set(BOT["build"]["args"]) >= set(MIRROR_ARGS), "compose passes the mirror through when it is set"


def _healthcheck() -> list[str]:
    (rest,) = [rest for word, rest in FINAL if word == "HEALTHCHECK"]
    command = json.loads(rest[rest.index("CMD") + 3 :])
    assert isinstance(command, list)
    return command


def test_the_healthcheck_probes_the_running_process_not_the_files() -> None:
    command = _healthcheck()
    assert command[:2] == ["python", "-c"]
    assert "/healthz" in command[2] and "NATOBOT_HTTP_PORT" in command[2] and "127.0.0.1" in command[2]
    assert "natobot" not in command, "`natobot check` only validates files: a frozen bot would stay healthy"
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(rest for word, rest in FINAL if word == "ENV")))
    assert env["NATOBOT_HTTP_PORT"] == str(BOT["environment"]["NATOBOT_HTTP_PORT"]), "probe and server agree"
    assert re.search(r"--timeout=\d+s", next(rest for word, rest in FINAL if word == "HEALTHCHECK"))


def test_the_image_runs_as_uid_10001() -> None:
    assert [rest for word, rest in FINAL if word == "USER"] == ["10001"]
    assert "--uid 10001" in DOCKERFILE


# --- compose.yaml


def test_compose_waits_for_a_healthy_redis_with_the_append_only_file_on() -> None:
    assert REDIS["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert BOT["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "--appendonly" in REDIS["command"] and REDIS["command"][REDIS["command"].index("--appendonly") + 1] == "yes"


def test_compose_starts_without_a_dot_env_file() -> None:
    assert BOT["env_file"] == [{"path": ".env", "required": False}]


def test_compose_does_not_restart_the_bot_forever() -> None:
    match = re.fullmatch(r"on-failure:(\d+)", BOT["restart"])
    assert match and 1 <= int(match.group(1)) <= 5, BOT["restart"]


def _docker_compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=30)
    return [docker, "compose"] if probe.returncode == 0 else None


@pytest.mark.e2e  # runs docker compose, when it is installed
def test_docker_compose_accepts_the_file_without_a_dot_env(tmp_path: Path) -> None:
    compose = _docker_compose()
    if compose is None:
        pytest.skip("docker compose is not installed")
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "COMPOSE_"))}
    out = subprocess.run(
        [*compose, "config", "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    bot = json.loads(out.stdout)["services"]["bot"]
    assert bot["restart"] == BOT["restart"] and bot["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "args" not in bot["build"], "an unset mirror is not passed as an empty build arg"


# --- the health probe itself, against a server that is healthy, degraded, or frozen


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), type("Health", (_Health,), {}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _probe(port: int) -> subprocess.CompletedProcess[str]:
    command = _healthcheck()
    env = {**os.environ, "NATOBOT_HTTP_PORT": str(port)}
    return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, text=True, timeout=30)


@pytest.mark.e2e  # starts a server and the probe as a process
def test_the_probe_passes_on_200_and_fails_on_503(health_server: http.server.HTTPServer) -> None:
    port = health_server.server_address[1]
    assert _probe(port).returncode == 0
    health_server.RequestHandlerClass.status = 503  # type: ignore[attr-defined]
    failed = _probe(port)
    assert failed.returncode != 0 and "503" in failed.stderr


@pytest.mark.e2e  # a listening socket nobody answers: what `docker kill -s STOP` leaves
def test_the_probe_fails_on_a_frozen_process() -> None:
    with socket.socket() as frozen:
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)
        started = time.monotonic()
        out = _probe(frozen.getsockname()[1])
    assert out.returncode != 0 and "timed out" in out.stderr
    assert time.monotonic() - started < 10, "the probe gives up before Docker's --timeout"


@pytest.mark.e2e
def test_the_probe_fails_when_nothing_listens() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert _probe(port).returncode != 0


# --- no token, no terminal: a clear message and status 2, not a clean exit to be restarted


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_the_console_with_closed_non_terminal_input_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert chat(Runtime(KNOWLEDGE), stdin=_Pipe(""), stdout=io.StringIO()) == NO_INPUT == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_TOKEN" in err and "DISCORD_TOKEN" in err and "terminal" in err


def test_piped_questions_are_still_answered_and_end_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert chat(Runtime(KNOWLEDGE), stdin=_Pipe("Is South Korea in NATO?\n"), stdout=out) == 0
    assert "South Korea" in out.getvalue()
    assert capsys.readouterr().err == ""


@pytest.mark.e2e  # natobot as a process, as in a container: no token, stdin /dev/null
def test_natobot_run_without_token_or_terminal_exits_2(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")},
        "NATOBOT_KNOWLEDGE": str(KNOWLEDGE),
        "NATOBOT_STATE_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "run"],
        cwd=tmp_path,  # no .env here
        env={**env, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    assert NO_INPUT_HELP in out.stderr
