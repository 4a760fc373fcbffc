"""The GOV.UK forms layer: Django fields drawn as GOV.UK components, errors named by label."""

import datetime as dt
import re

import pytest
from django import forms

from accord.platform.audit import acting_as
from accord.platform.models import Party
from accord.web import forms as gov
from tests.testapp.models import Dossier


class MeetingForm(gov.GovForm):
    title = forms.CharField(label="Title", max_length=20, help_text="For example, Western Balkans")
    date = gov.DateField(label="Date of the meeting")
    kind = forms.ChoiceField(
        label="Kind of meeting", choices=[("wg", "Working group"), ("sc", "Consultation")], widget=gov.Radios
    )
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("a", "Space"), ("b", "Cyber")], widget=gov.Checkboxes, required=False
    )
    notes = forms.CharField(label="Notes", widget=gov.Textarea(rows=3), required=False)
    party = forms.ChoiceField(
        label="Party", choices=[("", "Choose a party"), ("Partnership", [("GB", "United Kingdom")])]
    )
    paper = forms.FileField(label="Paper", widget=gov.FileUpload, required=False)


GOOD = {"title": "WB", "date-day": "10", "date-month": "2", "date-year": "2026", "kind": "wg", "party": "GB"}


def errors(data):
    form = MeetingForm(data)
    assert not form.is_valid()
    return [(e["id"], e["text"]) for e in form.summary]


@pytest.mark.parametrize(
    ("day", "month", "year", "target", "message"),
    [
        ("", "", "", "date-day", "Enter date of the meeting"),
        ("10", "", "2026", "date-month", "Date of the meeting must include a month"),
        ("", "", "2026", "date-day", "Date of the meeting must include a day and month"),
        (
            "10",
            "2",
            "26",
            "date-year",
            "Date of the meeting must include a year with 4 numbers, for example 10 February 2026",
        ),
        ("30", "2", "2026", "date-day", "Date of the meeting must be a real date, for example 10 February 2026"),
        ("1", "13", "2026", "date-month", "Date of the meeting must be a real date, for example 10 February 2026"),
        ("x", "2", "2026", "date-day", "Date of the meeting must be a real date, for example 10 February 2026"),
        ("29", "2", "1949", "date-day", "Date of the meeting must be a real date, for example 10 February 2026"),
    ],
)
def test_a_date_input_names_the_field_by_its_label_and_links_to_the_box_in_error(day, month, year, target, message):
    assert errors({**GOOD, "date-day": day, "date-month": month, "date-year": year}) == [(target, message)]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("29", "2", "2028"), dt.date(2028, 2, 29)),
        (("1", "1", "0001"), dt.date(1, 1, 1)),
        (("31", "12", "9999"), dt.date(9999, 12, 31)),
        (("4", "Apr", "1949"), dt.date(1949, 4, 4)),
        ((" 07 ", "september", "2100"), dt.date(2100, 9, 7)),
    ],
)
def test_a_date_input_takes_any_year_and_a_month_by_its_name(parts, expected):
    form = MeetingForm({**GOOD, "date-day": parts[0], "date-month": parts[1], "date-year": parts[2]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == expected


@pytest.mark.parametrize("typed", ["2026-02-10", "10/02/2026", "10 February 2026"])
def test_a_date_sent_in_one_value_as_an_old_link_does_is_still_read(typed):
    form = MeetingForm({**{k: v for k, v in GOOD.items() if not k.startswith("date")}, "date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == dt.date(2026, 2, 10)


def test_a_date_in_one_value_that_is_no_date_is_refused_in_words():
    data = {**{k: v for k, v in GOOD.items() if not k.startswith("date")}, "date": "next Tuesday"}
    assert errors(data) == [("date-day", "Date of the meeting must be a real date, for example 10 February 2026")]


def test_every_error_is_listed_at_once_in_the_order_of_the_form_each_linked_to_its_field():
    assert errors({"title": "x" * 21, "kind": "zz", "party": "FR", "date-year": "2026"}) == [
        ("title", "Title must be 20 characters or fewer"),
        ("date-day", "Date of the meeting must include a day and month"),
        ("kind", "Select kind of meeting from the list"),
        ("party", "Select party from the list"),
    ]


def test_the_components_are_drawn_with_gov_uk_classes_hints_and_errors_tied_to_their_fields():
    form = MeetingForm({**GOOD, "date-month": "", "title": ""})
    form.is_valid()
    html = form.as_div()
    assert 'class="govuk-input govuk-input--error" aria-describedby="title-hint title-error" id="title"' in html
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="date-error">' in html
    assert re.search(
        r'id="date-month"[^>]*class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"', html
    )
    assert re.search(r'id="date-year"[^>]*class="govuk-input govuk-date-input__input govuk-input--width-4"', html)
    assert 'id="date-day"' in html and 'type="date"' not in html
    assert 'class="govuk-radios__input" id="kind" name="kind"' in html and 'id="kind-2"' in html
    assert 'class="govuk-checkboxes__input" id="topics"' in html
    assert 'class="govuk-textarea" id="notes"' in html and 'rows="3"' in html
    assert '<optgroup label="Partnership">' in html and 'class="govuk-select" id="party"' in html
    assert 'type="file" name="paper" class="govuk-file-upload" id="paper"' in html
    assert " required" not in html  # the service checks, not the browser


# --- the audit trail's date filters ---------------------------------------------------


@pytest.mark.django_db
def test_the_audit_trail_filters_dates_through_day_month_and_year_boxes(make_user, client):
    with acting_as(make_user("DE", "editor")):
        Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Plan")
    client.force_login(make_user("DE", "viewer", "administrator"))
    html = client.get("/audit/").content.decode()
    assert 'type="date"' not in html  # a US-locale browser would ask for mm/dd/yyyy
    assert all(f'id="{f}-{p}"' in html for f in ("from", "to") for p in ("day", "month", "year"))
    empty = client.get("/audit/", {"to-day": "1", "to-month": "1", "to-year": "2000"}).content.decode()
    assert "No entries match" in empty
    kept = client.get("/audit/", {"from-day": "1", "from-month": "1", "from-year": "2000"}).content.decode()
    assert "Dossier" in kept and "No entries match" not in kept
    response = client.get(
        "/audit/", {"from-day": "1", "from-year": "2026", "to-day": "1", "to-month": "1", "to-year": "2020"}
    )
    assert response.status_code == 400
    summary = response.content.decode()
    assert '<a href="#from-month">The first date must include a month</a>' in summary
