"""``GovForm``: a Django form whose fields render as GOV.UK components, with one error summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.core import validators
from django.forms.boundfield import BoundField

from accord.errors import Problem
from accord.web.forms.widgets import DateInput, GovWidget, Select, Textarea, TextInput

_DEFAULT_WIDGETS = {
    forms.TextInput: TextInput,
    forms.Textarea: Textarea,
    forms.Select: Select,
    forms.NumberInput: TextInput,  # GOV.UK asks for numbers in a text input (inputmode="numeric")
}


class GovBoundField(BoundField):
    """A bound field that draws the GOV.UK form group (label, hint, error message, widget)
    and gives the error summary the id of the box to go to."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def error_parts(self) -> tuple[str, ...]:
        """For a date input: the boxes in error ("day", "month", "year")."""
        parts: list[str] = []
        for error in self.form.errors.as_data().get(self.name, []):
            parts.extend((error.params or {}).get("parts", ()))
        return tuple(dict.fromkeys(parts))

    @property
    def target_id(self) -> str:
        """Where the error summary's link goes: the first box in error."""
        if isinstance(self.field.widget, DateInput):
            return f"{self.auto_id}-{(self.error_parts or ('day',))[0]}"
        return self.auto_id

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.help_text else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("aria-describedby", None)
        if isinstance(widget, DateInput):
            attrs["error_parts"] = self.error_parts
            return attrs
        if isinstance(widget, GovWidget) and not widget.fieldset:
            classes = [widget.govuk_class, widget.attrs.get("class", ""), attrs.get("class", "")]
            if self.errors:
                classes.append(widget.govuk_error_class)
            attrs["class"] = " ".join(c for c in classes if c)
            if self.describedby:
                attrs["aria-describedby"] = self.describedby
        return attrs


def _plain_messages(field: forms.Field) -> None:
    """Django's default messages ("This field is required.") in GOV.UK words naming the
    field by its label, unless the form gave its own."""
    what = str(field.label or "")
    what = what[:1].lower() + what[1:]
    defaults = forms.Field.default_error_messages | getattr(type(field), "default_error_messages", {})
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    plain = {
        "required": f"Select {what}" if choosing else f"Enter {what}",
        "invalid_choice": f"Select {what} from the list",
        "max_length": f"{what[:1].upper()}{what[1:]} must be %(limit_value)d characters or fewer",
    }
    for code, text in plain.items():
        if code in field.error_messages and field.error_messages[code] == defaults.get(code):
            field.error_messages[code] = text
    field.validators = [
        validators.MaxLengthValidator(v.limit_value, message=plain["max_length"])
        if type(v) is validators.MaxLengthValidator and v.message == validators.MaxLengthValidator.message
        else v
        for v in field.validators
    ]


class GovForm(forms.Form):
    """A form of GOV.UK components.

    - ids are the field names (``auto_id="%s"``), as the error summary links to them;
    - ``form.summary`` lists every error in field order: ``{"id", "text"}`` for
      ``web/_error_summary.html``;
    - ``add_problems`` puts a service's ``Problem`` list on the fields they name.
    """

    template_name_div = "web/forms/form.html"
    bound_field_class = GovBoundField
    use_required_attribute = False  # GOV.UK forms are checked by the service, not the browser

    def __init__(self, *args, auto_id="%s", **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, auto_id=auto_id, **kwargs)
        for field in self.fields.values():
            replacement = _DEFAULT_WIDGETS.get(type(field.widget))
            if replacement is not None:
                old = field.widget
                field.widget = replacement(attrs=old.attrs)
                if hasattr(old, "choices"):
                    field.widget.choices = old.choices
                field.widget.is_required = old.is_required
            _plain_messages(field)
            if field.template_name is None:
                field.template_name = (
                    "web/forms/fieldset.html" if getattr(field.widget, "fieldset", False) else "web/forms/group.html"
                )

    @property
    def summary(self) -> list[dict]:
        """The error summary: each message, linked to the box it is about, in the form's order."""
        if not self.is_bound:
            return []
        items = [{"id": None, "text": str(e)} for e in self.non_field_errors()]
        for bound in self:
            items.extend({"id": bound.target_id, "text": str(e)} for e in bound.errors)
        return items

    def add_problems(self, problems: Iterable[Problem], words: Callable[[Problem], tuple[str | None, str]]) -> None:
        """Attach each problem a service reported: ``words(problem)`` gives (field name or
        None, the message in words). A field the form has already refused keeps its own message."""
        for problem in problems:
            field, text = words(problem)
            if field is not None and field not in self.fields:
                field = None
            if field is not None and self.has_error(field):
                continue
            if field is None and text in self.non_field_errors():
                continue
            self.add_error(field, text)

    def answers(self) -> list[dict]:
        """The answers of a valid form for a "Check your answers" summary list: the label
        (without "(optional)"), the answer in words, and the id of the box to change it."""
        rows = []
        for bound in self.visible_fields():
            value = self.cleaned_data.get(bound.name)
            rows.append(
                {
                    "name": bound.name,
                    "label": str(bound.label).removesuffix(" (optional)"),
                    "value": _in_words(bound.field, value),
                    "id": bound.target_id,
                }
            )
        return rows


def _in_words(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return "Not given"
    if hasattr(value, "year") and hasattr(value, "day"):
        return f"{value.day} {value:%B %Y}"
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, list | tuple):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
        chosen = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    return str(value)
