"""The layers of CONTRIBUTING.md, checked: imports point downward only, and there are no import cycles.

    core  <-  state, ops  <-  config, runtime  <-  adapters (each on its own)  <-  serve, cli

A module may import its own layer and the layers below it. An adapter never imports another adapter.
Imports inside `if TYPE_CHECKING:` count too (a type is a dependency); imports inside a function
(the lazy platform imports of `bot.serve` and `bot.cli`) count for the direction, not for cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"

RANK = {"core": 0, "state": 1, "ops": 1, "config": 2, "runtime": 2, "adapters": 3, "serve": 4, "cli": 4}


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Parsed at collection, before any test runs: CPython 3.11's ast.parse can fail with "AST constructor
# recursion depth mismatch" once another test has hit a RecursionError (the deep-JSON batch tests do).
TREES = {path: ast.parse(path.read_text(encoding="utf-8")) for path in BOT.rglob("*.py")}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, at module level?) for every import of our own package in the file."""
    tree = TREES[path] if path in TREES else ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks are module level too
        if isinstance(node, ast.If):
            top.update(id(child) for child in node.body)
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [(name, id(node) in top) for name in names if name == "bot" or name.startswith("bot.")]
    return found


def _modules() -> dict[str, Path]:
    return {_module(path): path for path in BOT.rglob("*.py")}


def _layer(module: str) -> tuple[str, str]:
    """(layer, unit): the unit tells adapters apart (bot.adapters.telegram, bot.adapters.discord, ...)."""
    parts = module.split(".")
    layer = parts[1] if len(parts) > 1 else ""
    unit = ".".join(parts[:3]) if layer == "adapters" and len(parts) > 2 else layer
    return layer, unit


def test_imports_point_downward_and_adapters_stay_apart() -> None:
    modules = _modules()
    wrong = []
    for module, path in sorted(modules.items()):
        layer, unit = _layer(module)
        if layer not in RANK:
            continue  # bot/__init__.py
        for target, _ in _imports(path):
            if target not in modules:
                continue  # `from bot.x import name`: the module itself is checked as `bot.x`
            target_layer, target_unit = _layer(target)
            if target_layer not in RANK:
                continue
            if RANK[target_layer] > RANK[layer]:
                wrong.append(f"{module} imports {target} ({layer} must not depend on {target_layer})")
            elif layer == target_layer == "adapters" and unit != target_unit and target != "bot.adapters":
                wrong.append(f"{module} imports {target} (one adapter never imports another)")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        module: {target for target, top in _imports(path) if top and target in modules and target != module}
        for module, path in modules.items()
    }
    # A package's __init__ imported by its own submodules is Python's normal order, not a cycle
    # worth reporting; an edge from a module to a package it sits in is dropped.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)
