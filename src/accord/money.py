"""Money for the whole project: exact amounts, rounded only for display (pure Python).

An amount read from a user's file is a ``Decimal`` (what they wrote, digit for
digit). Sums, products and currency conversions are kept exact as
``fractions.Fraction`` (a conversion divides by a rate, which a decimal cannot
hold exactly), and a rule compares the exact figures: €344.62 of €984.62 is
35.0003%, more than 35%, even though both round to cents. Only what is shown to
a person is rounded, half away from zero to the cent (``to_cents``).

Commitments already keeps its figures as ``Decimal`` and ``Fraction``; this is
the same convention, named once.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

Exact = Fraction
Amount = int | Decimal | Fraction

CENT = Decimal("0.01")
ZERO = Fraction(0)


def exact(value: Amount | float | str) -> Fraction:
    """An exact amount. A float is taken as the shortest decimal that prints as it
    (``0.1`` is one tenth, not the binary number nearest to it)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a truth value is not an amount")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        try:
            return Fraction(Decimal(value.strip()))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    return Fraction(value)


def to_decimal(value: Amount | float, places: int = 2) -> Decimal:
    """Round for display: ``places`` decimals, half away from zero (never for a rule)."""
    scaled = exact(value) * 10**places
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:  # half away from zero, in exact integers
        whole += 1
    sign = -1 if scaled < 0 and whole else 1
    return Decimal(sign * whole).scaleb(-places)


def to_cents(value: Amount | float) -> Decimal:
    return to_decimal(value, 2)


def cents_float(value: Amount | float) -> float:
    """The amount rounded to the cent, as a JSON number (stable output formats)."""
    return float(to_cents(value)) + 0.0


def format_eur(value: Amount | float) -> str:
    """€1,234.56 (and -€5.00): for pages, the CLI and verdict texts."""
    cents = to_cents(value)
    return f"-€{-cents:,.2f}" if cents < 0 else f"€{cents:,.2f}"


def format_share(value: Amount | float, places: int = 4) -> str:
    """A fraction as a percentage with up to ``places`` decimals, trailing zeros dropped:
    35%, 35.0003%."""
    percent = to_decimal(exact(value) * 100, places)
    text = f"{percent:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"
