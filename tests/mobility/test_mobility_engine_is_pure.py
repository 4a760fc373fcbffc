"""The engine imports no Django (house standard: pure rules)."""

import ast
from pathlib import Path

import accord.mobility.engine as engine


def test_no_module_of_the_mobility_engine_imports_django():
    for path in Path(engine.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "django" for n in names), path.name


def test_no_module_of_the_mobility_engine_reads_todays_date():
    for path in Path(engine.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "date.today" not in text and "datetime.now" not in text and ".now()" not in text, path.name
