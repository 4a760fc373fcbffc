"""Django forms that render GOV.UK Design System components (decision 0006).

A form subclasses ``GovForm``; its fields are ordinary Django fields with the
widgets of this package (or the GOV.UK defaults ``GovForm`` puts in place), and a
template renders each field with ``{{ form.name.as_field_group }}`` and the error
summary with ``{% include "web/_error_summary.html" with errors=form.summary %}``.

- ``DateField``: the GOV.UK date input (day, month and year boxes), any year;
  its errors name the field ("The date of the meeting must include a month").
- Widgets: ``TextInput``, ``Textarea``, ``Select``, ``Radios``, ``Checkboxes``,
  ``FileUpload``, ``DateInput``.
- ``GovForm.add_problems(problems, fields)`` attaches each ``accord.errors.Problem``
  a service reported to the field it names, in words.
"""

from accord.web.forms.fields import DateField
from accord.web.forms.forms import GovForm
from accord.web.forms.widgets import Checkboxes, DateInput, FileUpload, Radios, Select, Textarea, TextInput

__all__ = [
    "Checkboxes",
    "DateField",
    "DateInput",
    "FileUpload",
    "GovForm",
    "Radios",
    "Select",
    "TextInput",
    "Textarea",
]
