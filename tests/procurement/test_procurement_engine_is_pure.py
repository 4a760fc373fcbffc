"""The SAFE engine runs without loading Django (house standard: pure rules, usable
from any program). The static check (no engine module imports Django) is the
pure-engines contract in .importlinter, run by tests/test_guard_rails.py; this
test checks the same at run time, through every import the engine makes."""

import subprocess
import sys
from pathlib import Path


def test_importing_and_running_the_engine_loads_no_django():
    code = (
        "import sys, json\n"
        "from accord.parties import load_registry\n"
        "from accord.procurement.engine import parse_case, assess, scenario_parameters\n"
        "from tests.procurement.builders import case_data\n"
        "r = load_registry(); assess(parse_case(case_data(), registry=r), scenario_parameters(), r)\n"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
