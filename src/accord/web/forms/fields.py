"""Fields of the GOV.UK forms layer: the date input's field.

Error messages follow the GOV.UK date input pattern
(https://design-system.service.gov.uk/components/date-input/#error-messages),
naming the field by what it is: "Enter the date of the meeting", "The date of the
meeting must include a month", "The date of the meeting must be a real date".
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from accord.web.forms.widgets import DateInput, DateParts, month_number

EXAMPLE = dt.date(2026, 2, 10)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


class DateField(forms.Field):
    """A date from the three boxes of the GOV.UK date input; any year from 1 to 9999.

    ``name_in_errors`` is how messages name the field ("the date of the meeting");
    by default its label. ``example`` is the date shown in "for example 10 February 2026".
    """

    widget = DateInput

    def __init__(self, *, name_in_errors: str | None = None, example: dt.date = EXAMPLE, **kwargs):
        self.name_in_errors = name_in_errors
        self.example = example
        super().__init__(**kwargs)

    def _name(self) -> str:
        if self.name_in_errors:
            return self.name_in_errors
        label = str(self.label or "date")
        return label[:1].lower() + label[1:]

    def _fail(self, message: str, parts, code: str):
        raise ValidationError(_sentence(message), code=code, params={"parts": tuple(parts)})

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        parts = value if isinstance(value, list) else ["", "", ""]
        day, month, year = (str(p).strip() for p in (list(parts) + ["", "", ""])[:3])
        name = self._name()
        example = f"for example {self.example.day} {self.example:%B %Y}"
        if isinstance(value, DateParts) and value.garbled:
            self._fail(f"{name} must be a real date, {example}", ("day", "month", "year"), "invalid")
        if not (day or month or year):
            if self.required:
                self._fail(f"enter {name}", ("day",), "required")
            return None
        missing = [part for part, text in (("day", day), ("month", month), ("year", year)) if not text]
        if missing:
            self._fail(f"{name} must include a {_and(missing)}", missing, "incomplete")
        if len(year) != 4 or not year.isdigit():
            self._fail(f"{name} must include a year with 4 numbers, {example}", ("year",), "year")
        number = month_number(month)
        wrong = [p for p, ok in (("day", day.isdigit()), ("month", number is not None)) if not ok]
        if wrong:
            self._fail(f"{name} must be a real date, {example}", wrong, "invalid")
        try:
            return dt.date(int(year), number, int(day))
        except ValueError:
            parts = ["month"] if not 1 <= number <= 12 else ["year"] if int(year) == 0 else ["day"]
            self._fail(f"{name} must be a real date, {example}", parts, "invalid")

    def validate(self, value):
        pass  # required is decided in to_python, in the date input's words

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True
