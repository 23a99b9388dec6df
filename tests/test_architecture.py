"""The engine's shape, as the contributors' guide promises it: no import cycles, and an engine
that knows no input by name (a plugin adds one without touching guardrails)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_INPUT_WORDS = {"sql", "openapi", "pull_request", "database", "migrations"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.glob("guardrails/**/*.py"), *ROOT.glob("checks/*.py")]:
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(("guardrails", *parts) if parts[0] == "checks" else parts).removesuffix(".__init__")
        found[name] = path
    return found


def _runtime_imports(path: Path, known: set[str]) -> set[str]:
    """Modules imported anywhere in the file (functions included), except under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    out = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out.update(n for n in names if n in known)
    return out


def test_no_import_cycles() -> None:
    modules = _modules()
    edges = {m: _runtime_imports(p, set(modules)) - {m} for m, p in modules.items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_engine_and_config_name_no_input() -> None:
    for name in ("engine.py", "config.py", "registry.py", "parallel.py"):
        tree = ast.parse((ROOT / "guardrails" / name).read_text(encoding="utf-8"))
        words = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert not words & BUILTIN_INPUT_WORDS, f"guardrails/{name} names an input: {words & BUILTIN_INPUT_WORDS}"
