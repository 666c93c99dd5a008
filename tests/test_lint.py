"""ruff over the code, tests and benchmarks; mypy --strict over the package (config in pyproject.toml)."""

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "captions", "tests", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_two_modules_import_each_other():
    """The package's import graph, lazy imports included, has no cycle: a module that needs another's
    work never sits below it too (convert -> pipeline -> review -> convert once did)."""
    import ast
    from graphlib import CycleError, TopologicalSorter

    package = ROOT / "captions"
    graph: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        module = parts[0]  # a subpackage (formats, languages) counts as one module
        here = parts[:-1]  # the package its relative imports start from
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(here)[: len(here) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if target and target[0] != module:
                    graph.setdefault(module, set()).add(target[0])
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:
        raise AssertionError(f"import cycle: {' -> '.join(err.args[1])}") from None
