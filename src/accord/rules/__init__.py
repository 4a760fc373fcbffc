"""Rules as code: dated, referenced parameters (docs/law/README.md#parameters).

Pure Python. Imports no framework, so every engine can use it in isolation.
Parameter files live beside this module, one YAML file per parameter:
``src/accord/rules/safe/component_cost/non_eligible_cap.yaml`` is the
parameter ``safe.component_cost.non_eligible_cap``.
"""

from accord.rules.parameters import (
    Parameter,
    ParameterError,
    ParameterNotInForce,
    ParameterSet,
    Reference,
    load_parameters,
    load_scenario,
)

__all__ = [
    "Parameter",
    "ParameterError",
    "ParameterNotInForce",
    "ParameterSet",
    "Reference",
    "load_parameters",
    "load_scenario",
]
