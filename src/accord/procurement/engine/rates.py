"""Euro foreign exchange reference rates for converting a BOM's costs to euros.

The European Central Bank publishes its euro reference rates once per working
day (about 16:00 CET); the ``currencyconverter`` package ships the ECB's whole
daily history file (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip).
A rate is the amount of the currency that one euro buys (0.8523 GBP), so a cost
in that currency is divided by it. The rate date is the assessment date unless
the case gives ``rates_on`` or its own ``rates``; on a day without a fixing
(a weekend, a TARGET holiday) the last earlier fixing is used, and the verdict
says so. An unknown currency, or no fixing within ``MAX_DAYS_BACK`` days before
the rate date, is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from accord.errors import InputError, Problem

from .words import day_text

EURO = "EUR"
ECB_SOURCE = (
    "European Central Bank, euro foreign exchange reference rates "
    "(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html)"
)
MAX_DAYS_BACK = 7  # the longest run of days without a fixing (Easter, year end) is 4

# The currencies' names in plain English, as the ECB's own rates page names them (the
# historical ones as on its pages of their last fixings); pycountry's ISO 4217 names are
# official but not plain ("Zloty", "Yen", "Rand").
CURRENCY_NAMES = {
    "AUD": "Australian dollar",
    "BGN": "Bulgarian lev",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CNY": "Chinese yuan renminbi",
    "CYP": "Cyprus pound",
    "CZK": "Czech koruna",
    "DKK": "Danish krone",
    "EEK": "Estonian kroon",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "HKD": "Hong Kong dollar",
    "HRK": "Croatian kuna",
    "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah",
    "ILS": "Israeli shekel",
    "INR": "Indian rupee",
    "ISK": "Icelandic krona",
    "JPY": "Japanese yen",
    "KRW": "South Korean won",
    "LTL": "Lithuanian litas",
    "LVL": "Latvian lats",
    "MTL": "Maltese lira",
    "MXN": "Mexican peso",
    "MYR": "Malaysian ringgit",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "PHP": "Philippine peso",
    "PLN": "Polish zloty",
    "ROL": "Romanian leu (before 2005)",
    "RON": "Romanian leu",
    "RUB": "Russian rouble",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "SIT": "Slovenian tolar",
    "SKK": "Slovak koruna",
    "THB": "Thai baht",
    "TRL": "Turkish lira (before 2005)",
    "TRY": "Turkish lira",
    "USD": "US dollar",
    "ZAR": "South African rand",
}


def currency_name(code: str) -> str:
    """Pound sterling (GBP); an ISO 4217 code with no plain name here: pycountry's name, or the code."""
    name = CURRENCY_NAMES.get(code)
    if name is None:
        import pycountry

        found = pycountry.currencies.get(alpha_3=code)
        name = found.name if found else code
    return f"{name} ({code})" if name != code else code


@dataclass(frozen=True)
class CurrencyChoice:
    code: str
    label: str  # Pound sterling (GBP); a currency no longer fixed says until when


def currency_choices() -> list[CurrencyChoice]:
    """The currencies the rates source knows, the euro first, then by name: for a form's select."""
    converter = _converter()
    latest = max(bounds.last_date for bounds in converter.bounds.values())
    choices = []
    for code in converter.currencies:
        label = currency_name(code)
        last = converter.bounds[code].last_date if code in converter.bounds else None
        if code != EURO and last is not None and (latest - last).days > MAX_DAYS_BACK:
            label += f", rates until {day_text(last)}"
        choices.append(CurrencyChoice(code, label))
    return sorted(choices, key=lambda c: (c.code != EURO, c.label.lower()))


def known_currencies() -> frozenset[str]:
    """ISO 4217 codes the rates source has euro reference rates for (and the euro)."""
    return frozenset(_converter().currencies) | {EURO}


@dataclass(frozen=True)
class Rate:
    currency: str
    per_euro: Decimal  # units of the currency one euro buys
    on: dt.date | None  # the fixing used; None for a rate the case gives
    source: str

    def as_dict(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "currency_name": currency_name(self.currency),
            "per_euro": str(self.per_euro),
            "fixing_date": self.on.isoformat() if self.on else None,
            "source": self.source,
        }


@dataclass(frozen=True)
class RateTable:
    requested_on: dt.date
    rates: dict[str, Rate]

    def to_euro(self, amount: Fraction, currency: str) -> Fraction:
        if currency == EURO:
            return amount
        return amount / Fraction(self.rates[currency].per_euro)

    def notes(self) -> list[str]:
        """One note per earlier fixing used: the rate date had none (a weekend, a holiday)."""
        earlier: dict[dt.date, list[str]] = {}
        for rate in self.rates.values():
            if rate.on is not None and rate.on != self.requested_on:
                earlier.setdefault(rate.on, []).append(rate.currency)
        return [
            f"The European Central Bank fixed no euro reference rate on {day_text(self.requested_on)} "
            f"({self.requested_on:%A}) for {_names(codes)}; the last earlier fixing, of {day_text(day)}, is used."
            for day, codes in sorted(earlier.items())
        ]

    def as_list(self) -> list[dict[str, object]]:
        return [rate.as_dict() for rate in self.rates.values()]


def _names(codes: list[str]) -> str:
    names = [currency_name(code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    # No interpolation, no fallback: a missing fixing is found (or refused) below.
    return CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def ecb_rate(currency: str, on: dt.date) -> Rate | None:
    """The ECB fixing for ``on``, or the last one within ``MAX_DAYS_BACK`` days before it."""
    from currency_converter import RateNotFoundError

    converter = _converter()
    if currency not in converter.currencies:
        return None
    for back in range(MAX_DAYS_BACK + 1):
        day = on - dt.timedelta(days=back)
        try:
            rate = converter.convert(Decimal(1), EURO, currency, date=day)
        except (RateNotFoundError, ValueError):
            continue
        return Rate(currency, Decimal(rate), day, ECB_SOURCE)
    return None


def resolve_rates(
    currencies: Mapping[str, int | None], on: dt.date, own: Mapping[str, Decimal] | None = None
) -> RateTable:
    """A rate for each currency (other than the euro) the BOM uses, or every problem at once.
    ``currencies``: currency -> the first line using it (for the error)."""
    own = dict(own or {})
    problems: list[Problem] = []
    rates: dict[str, Rate] = {}
    for currency, line in sorted(currencies.items()):
        if currency == EURO:
            continue
        if currency in own:
            rates[currency] = Rate(currency, Decimal(own[currency]), None, "rate given in the case")
            continue
        rate = ecb_rate(currency, on)
        if rate is not None:
            rates[currency] = rate
            continue
        known = currency in _converter().currencies
        why = (
            f"no European Central Bank reference rate for {currency_name(currency)} on {day_text(on)} or in the "
            f"{MAX_DAYS_BACK} days before"
            if known
            else f"{currency} is not a currency the European Central Bank publishes a euro reference rate for"
        )
        problems.append(
            Problem(why + "; give the rate in the case's rates (units per euro)", field="currency", line=line)
        )
    if problems:
        raise InputError(problems)
    return RateTable(requested_on=on, rates=rates)
