"""The SAFE engine imports no Django (house standard: pure rules, usable from any program)."""

import ast
import subprocess
import sys
from pathlib import Path

from accord.procurement import engine

ENGINE_DIR = Path(engine.__file__).parent


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_safe_engine_imports_django():
    files = sorted(ENGINE_DIR.glob("*.py"))
    assert len(files) > 5
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith(("django", "ninja")), f"{path.name} imports {module}"


def test_importing_and_running_the_engine_loads_no_django():
    code = (
        "import sys, json\n"
        "from accord.parties import load_registry\n"
        "from accord.procurement.engine import parse_case, assess, scenario_parameters\n"
        "from tests.procurement.builders import case_data\n"
        "r = load_registry(); assess(parse_case(case_data(), registry=r), scenario_parameters(), r)\n"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "False"
