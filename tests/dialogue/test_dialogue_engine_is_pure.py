"""The dialogue engine imports no Django (house standard: pure rules)."""

import ast
from pathlib import Path

import accord.dialogue.engine as engine

ENGINE_DIR = Path(engine.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_dialogue_engine_imports_django():
    files = sorted(ENGINE_DIR.glob("*.py"))
    assert len(files) > 3
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith(("django", "ninja")), f"{path.name} imports {module}"
