"""The commitments engine imports no Django (house standard: pure rules)."""

import ast
from pathlib import Path

import accord.commitments.engine as engine
import accord.commitments.reports as reports

ENGINE_FILES = sorted(Path(engine.__file__).parent.glob("*.py")) + [Path(reports.__file__)]


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_commitments_engine_imports_django():
    assert len(ENGINE_FILES) > 5
    for path in ENGINE_FILES:
        for module in imported_modules(path):
            assert not module.startswith(("django", "ninja")), f"{path.name} imports {module}"


def test_no_rule_reads_todays_date():
    for path in ENGINE_FILES:
        text = path.read_text(encoding="utf-8")
        assert "date.today" not in text and "datetime.now" not in text, path.name
