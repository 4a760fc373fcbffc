"""Django widgets drawn as GOV.UK Design System components (GOV.UK Frontend classes).

Each widget knows its component's class and error class; ``GovBoundField`` adds the
error class, ``aria-describedby`` (hint and error) and ``aria-invalid`` when a field
has an error. The templates are in ``web/templates/web/forms/``.
"""

from __future__ import annotations

import re

from django import forms

from accord.values import MONTHS, to_date_day_first


class GovWidget:
    """What the bound field needs to know of a GOV.UK widget."""

    govuk_class = ""
    govuk_error_class = ""
    fieldset = False  # drawn inside a fieldset with a legend (radios, checkboxes, date)


class TextInput(GovWidget, forms.TextInput):
    govuk_class, govuk_error_class = "govuk-input", "govuk-input--error"

    def __init__(self, attrs=None, width: int | None = None):
        attrs = {"spellcheck": "false", **(attrs or {})}
        if width:
            attrs["class"] = f"govuk-input--width-{width}"
        super().__init__(attrs)


class Textarea(GovWidget, forms.Textarea):
    govuk_class, govuk_error_class = "govuk-textarea", "govuk-textarea--error"

    def __init__(self, attrs=None, rows: int = 5):
        super().__init__({"rows": str(rows), **(attrs or {})})


# Other names people type for a party, found by the autocomplete (the code is found anyway).
PARTY_ALIASES = {
    "GB": "UK Britain Great Britain",
    "NL": "Holland",
    "CZ": "Czech Republic",
    "TR": "Turkey",
    "EEAS": "External Action Service",
    "COM": "Commission",
    "COUNCIL": "Council",
}


class Select(GovWidget, forms.Select):
    """A select; long ones (countries, parties) are enhanced by accessible-autocomplete
    where JavaScript runs (``autocomplete=True`` marks them; ``aliases`` maps a value to
    the other names people type for it, e.g. ``PARTY_ALIASES``)."""

    govuk_class, govuk_error_class = "govuk-select", "govuk-select--error"

    def __init__(self, attrs=None, choices=(), autocomplete: bool = False, aliases: dict | None = None):
        attrs = dict(attrs or {})
        if autocomplete:
            attrs["data-module"] = "accord-autocomplete"
        self.aliases = aliases or {}
        super().__init__(attrs, choices)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.aliases:
            option["attrs"]["data-aliases"] = self.aliases[str(value)]
        return option


class FileUpload(GovWidget, forms.ClearableFileInput):
    govuk_class, govuk_error_class = "govuk-file-upload", "govuk-file-upload--error"
    template_name = "web/forms/file_upload.html"


class _Choices(GovWidget):
    """Radios and checkboxes: the first item's id is the field's id (the error summary
    links to it), the others ``<id>-2``, ``<id>-3`` as GOV.UK Frontend names them."""

    fieldset = True

    def id_for_label(self, id_, index="0"):
        if id_ and index is not None and str(index) not in ("0", ""):
            return f"{id_}-{int(index) + 1}"
        return id_


class Radios(_Choices, forms.RadioSelect):
    template_name = "web/forms/radios.html"
    govuk_error_class = "govuk-radios--error"


class Checkboxes(_Choices, forms.CheckboxSelectMultiple):
    template_name = "web/forms/checkboxes.html"


class DateParts(list):
    """What was typed into a date input: [day, month, year] as text; ``garbled`` when a
    single typed date (an old link, ``?from=2026-02-30``) could not be split into parts."""

    garbled = False


# A date typed in one box (an old link or bookmark, or a client posting one field):
# ISO (2026-02-10), day first (10/02/2026, 10.2.2026) or with the month's name
# (``values.to_date_day_first``).
_ISO = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{1,4})")


def split_typed_date(text: str) -> DateParts:
    """The boxes' values from a date typed in one box; a date that is not real (2026-13-01)
    is still split, so the boxes show what was typed and the field names what is wrong."""
    text = " ".join(text.split())
    try:
        day = to_date_day_first(text)
    except ValueError:
        pass
    else:
        return DateParts([str(day.day), str(day.month), str(day.year)])
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        return DateParts([day, month, year])
    if match := _DAY_FIRST.fullmatch(text):
        return DateParts(match.groups())
    parts = DateParts(["", "", ""])
    parts.garbled = bool(text)
    return parts


class DateInput(GovWidget, forms.MultiWidget):
    """The GOV.UK date input: three boxes named ``<name>-day``, ``<name>-month``, ``<name>-year``."""

    template_name = "web/forms/date_input.html"
    fieldset = True
    PARTS = ("day", "month", "year")
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"-{part}" for part in self.PARTS]

    def decompress(self, value):
        if hasattr(value, "year"):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            return split_typed_date(value)
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        names = [f"{name}-{part}" for part in self.PARTS]
        if any(n in data for n in names):
            return DateParts(str(data.get(n) or "").strip() for n in names)
        # One box instead of three: read it, so links and clients that send one value keep working.
        return split_typed_date(str(data.get(name) or ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in self.PARTS)

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = set(attrs.pop("error_parts", ()))
        for key in ("aria-describedby", "aria-invalid", "class"):  # they belong to the fieldset, or per box
            attrs.pop(key, None)
        context = super().get_context(name, value, attrs)
        for part, sub in zip(self.PARTS, context["widget"]["subwidgets"], strict=True):
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{self.WIDTHS[part]}"
            if part in error_parts:
                classes += " govuk-input--error"
                sub["attrs"]["aria-invalid"] = "true"
            sub["attrs"].update(
                {"class": classes, "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
            )
            if attrs.get("id"):
                sub["attrs"]["id"] = f"{attrs['id']}-{part}"
            sub["part"] = part
            sub["label"] = part.capitalize()
        return context


def month_number(text: str) -> int | None:
    """A month as typed into the month box: 2, 02, Feb, February."""
    text = text.strip().rstrip(".").lower()
    if text.isdigit():
        return int(text)
    return MONTHS.get(text)
