"""Which countries count as what for SAFE on the assessment date.

Membership (Member States, EEA-EFTA, candidates, SDP countries) comes from the
parties registry for the date; which frameworks matter, the countries named
in the regulation (Ukraine), the participation agreements and the excluded
third countries come from the dated parameters. Nothing here is a literal
country list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from accord.rules.parameters import ParameterNotInForce, ParameterSet

ELIGIBLE = "eligible"  # Member State, EEA-EFTA state, Ukraine
AGREEMENT = "agreement"  # third country with a participation agreement in force
EXCLUDED = "excluded"  # listed third country posing a threat to EU security
THIRD_COUNTRY = "third_country"
UNKNOWN = "unknown"  # a BOM line with no origin: counted as non-eligible (the worst case)

STATUS_LABELS = {
    ELIGIBLE: "eligible country",
    AGREEMENT: "participation agreement",
    EXCLUDED: "excluded third country",
    THIRD_COUNTRY: "third country",
    UNKNOWN: "origin not given, counted as non-eligible",
}

PARTICIPATION_PREFIX = "safe.participation."


class PartyRegistry(Protocol):
    """The part of ``accord.parties.PartyRegistry`` the engine uses."""

    def is_known(self, code: str) -> bool: ...

    def is_member(self, party: str, framework: str, *, on: dt.date) -> bool: ...


def is_country_code(code: str, registry: PartyRegistry) -> bool:
    """A party the registry knows, or any ISO 3166-1 alpha-2 country (components come from
    everywhere; the parties data lists only the states Accord deals with)."""
    if registry.is_known(code):
        return True
    import pycountry

    return pycountry.countries.get(alpha_2=code) is not None


@dataclass(frozen=True)
class Agreement:
    """A third-country participation agreement in force on the assessment date."""

    country: str
    in_force_from: dt.date | None
    component_cap: float | None  # None: no cap on that country's component share
    financial_contribution_eur: float | None  # None: unknown
    reference: str


def agreements_in_force(params: ParameterSet, on: dt.date) -> dict[str, Agreement]:
    """Every agreement whose ``safe.participation.<CC>.in_force`` is true on ``on``."""
    found: dict[str, Agreement] = {}
    for name in params.names(PARTICIPATION_PREFIX):
        if not name.endswith(".in_force"):
            continue
        country = name[len(PARTICIPATION_PREFIX) : -len(".in_force")]
        if not _value_or(params, name, on, False):
            continue
        base = PARTICIPATION_PREFIX + country
        cap = _value_or(params, f"{base}.component_cap", on, None)
        contribution = _value_or(params, f"{base}.financial_contribution_eur", on, None)
        found[country] = Agreement(
            country=country,
            in_force_from=params[name].in_force_from(on),
            component_cap=None if cap is None else float(cap),
            financial_contribution_eur=None if contribution is None else float(contribution),
            reference=(
                f"Scenario {params[name].overridden_by}: {params.scenario_label}"
                if params[name].overridden_by
                else params[name].reference
            ),
        )
    return found


def _value_or(params: ParameterSet, name: str, on: dt.date, default):
    if name not in params:
        return default
    try:
        return params.value(name, on)
    except ParameterNotInForce:
        return default


class CountryRules:
    """Classify a country code on one date (answers are cached per code)."""

    def __init__(self, params: ParameterSet, registry: PartyRegistry, on: dt.date) -> None:
        self.params = params
        self.registry = registry
        self.on = on
        self.eligible_frameworks = tuple(params.value("safe.eligibility.eligible_frameworks", on))
        self.eligible_countries = frozenset(params.value("safe.eligibility.eligible_countries", on))
        self.partner_frameworks = tuple(params.value("safe.common_procurement.partner_frameworks", on))
        self.additional_frameworks = tuple(params.value("safe.common_procurement.additional_procurer_frameworks", on))
        self.excluded = frozenset(params.value("safe.exclusion.excluded_third_countries", on) or ())
        self.agreements = agreements_in_force(params, on)
        # Art. 355(1) TFEU: the outermost regions are part of the EU (and Åland, Art. 355(4));
        # they have ISO codes of their own, so each is mapped to its Member State.
        self.eu_territories = dict(_value_or(params, "safe.eligibility.eu_territories", on, {}) or {})
        self.overseas_territories = dict(
            _value_or(params, "safe.eligibility.overseas_countries_and_territories", on, {}) or {}
        )
        self._status: dict[str, str] = {}

    def _member_of_any(self, code: str, frameworks: tuple[str, ...]) -> bool:
        if not self.registry.is_known(code):  # a country outside the parties data belongs to none
            return False
        return any(self.registry.is_member(code, fw, on=self.on) for fw in frameworks)

    def status(self, code: str) -> str:
        """eligible, agreement, excluded or third_country, on the assessment date."""
        if code not in self._status:
            if code in self.excluded:
                status = EXCLUDED
            elif (
                code in self.eligible_countries
                or self._member_of_any(code, self.eligible_frameworks)
                or code in self.eu_territories
                and self._member_of_any(self.eu_territories[code], self.eligible_frameworks)
            ):
                status = ELIGIBLE
            elif code in self.agreements:
                status = AGREEMENT
            else:
                status = THIRD_COUNTRY
            self._status[code] = status
        return self._status[code]

    def counts_as_eligible_entity(self, code: str) -> bool:
        """Establishment or control in an eligible country, or one with an agreement."""
        return self.status(code) in (ELIGIBLE, AGREEMENT)

    def is_partner_procurer(self, code: str) -> bool:
        """A Member State, EEA-EFTA state or Ukraine: can make a procurement common."""
        return code in self.eligible_countries or self._member_of_any(code, self.partner_frameworks)

    def is_additional_procurer(self, code: str) -> bool:
        """A candidate, potential candidate or SDP country: may join as an extra procurer."""
        return self._member_of_any(code, self.additional_frameworks)

    def label(self, code: str) -> str:
        if code in self.eu_territories and self.status(code) == ELIGIBLE:
            return f"{code} ({STATUS_LABELS[ELIGIBLE]}: part of the EU as part of {self.eu_territories[code]})"
        if code in self.overseas_territories and self.status(code) == THIRD_COUNTRY:
            return (
                f"{code} ({STATUS_LABELS[THIRD_COUNTRY]}: an overseas country or territory of "
                f"{self.overseas_territories[code]}, not part of the EU)"
            )
        return f"{code} ({STATUS_LABELS[self.status(code)]})"

    @cached_property
    def excluded_sorted(self) -> list[str]:
        return sorted(self.excluded)
