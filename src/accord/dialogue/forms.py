"""The dialogue's web forms (GOV.UK components through ``accord.web.forms``).

The forms read what people type (a date in three boxes, a choice from a list) and
name every problem by the field's label; the services and the engine decide the
rest, and each ``Problem`` they report is put on the field it names (``words``).
"""

from __future__ import annotations

import re

from django import forms

from accord.dialogue import services
from accord.dialogue.engine.reference import areas, bodies, side_of, side_parties
from accord.dialogue.models import Consultation, WorkingGroup
from accord.errors import Problem
from accord.platform import policy
from accord.platform.models import Party
from accord.web.forms import Checkboxes, DateField, GovForm, Radios, Select, Textarea, TextInput
from accord.web.forms.widgets import PARTY_ALIASES

# How each field is named in an error message, GOV.UK style: (kind, what it is).
# kind "text": "Enter the title of the meeting"; "select": "Select the working group";
# "date": "Enter the date of the meeting" / "... must be a real date".
FIELD_WORDS = {
    "title": ("text", "the title of the meeting"),
    "date": ("date", "the date of the meeting"),
    "consultation": ("select", "a strategic consultation from the list"),
    "working_group": ("select", "a working group from the list"),
    "location": ("text", "the location"),
    "outcomes": ("text", "the outcomes"),
    "description": ("text", "a description of the action"),
    "owner_party": ("select", "the party that owns the action"),
    "due": ("date", "the due date of the action"),
    "area": ("select", "an area of common interest"),
    "name": ("text", "the name of the attendee"),
    "party": ("select", "the party of the attendee"),
    "item": ("text", "the item"),
    "body": ("select", "the meeting body"),
    "meeting_title": ("text", "the title of the meeting"),
    "invitee_party": ("select", "the party to invite"),
    "code": ("text", "a short name for the exercise"),
    "start": ("date", "the first day of the exercise"),
    "end": ("date", "the last day of the exercise"),
    "lead": ("select", "the leading party"),
    "invited_partners": ("select", "the partners invited"),
}
_TOO_LONG = re.compile(r"at most (\d+) characters")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# Fields where the engine applies a rule of the partnership and says which (who may invite
# whom, a short name already taken): its words are shown as they are, as a sentence.
_RULE_FIELDS = {"body", "invitee_party", "code", "end"}


def field_text(field: str | None, message: str) -> str:
    """The GOV.UK error text for a problem a service found with a form field.

    The services speak to API clients ("is required", "'2026-13-01' is not a date");
    people filling in a form read what to do, naming the field by its label.
    """
    kind, what = FIELD_WORDS.get(field or "", (None, None))
    if kind is None:
        return _sentence(message)
    if field in _RULE_FIELDS and not message.startswith(("unknown", "is required", "at most", "no such")):
        return _sentence(message)
    too_long = _TOO_LONG.search(message)
    if too_long:
        return f"{_sentence(what)} must be {too_long.group(1)} characters or fewer"
    if kind == "date" and "date" in message and "need" not in message and "required" not in message:
        return f"{_sentence(what)} must be a real date, for example 10 February 2026"
    if kind == "select":
        return f"Select {what}"
    return f"Enter {what}"


def words(problem: Problem) -> tuple[str | None, str]:
    if problem.field == "code" and "already exists" in problem.message:
        return "code", "An exercise with this short name is already on the calendar: choose another short name"
    # The engine names the sides by their codes; people say "the UK side".
    message = problem.message.replace("GB side", "UK side").replace("internal GB meeting", "internal UK meeting")
    return problem.field, field_text(problem.field, message)


# --- choices ----------------------------------------------------------------------------


def party_groups() -> list[tuple[str, list[Party]]]:
    """Parties for a select: the two sides of the partnership first, then every other party."""
    partnership = sorted(services.partnership_parties(), key=lambda p: (p.code != "GB", p.name))
    codes = {p.code for p in partnership}
    others = [p for p in Party.objects.order_by("name") if p.code not in codes]
    return [("UK–EU partnership", partnership), ("Other parties", others)]


def party_choices(empty: str | None = "Choose a party") -> list:
    groups = [(group, [(p.code, f"{p.name} ({p.code})") for p in members]) for group, members in party_groups()]
    return ([("", empty)] if empty else []) + groups


def party_select(choices) -> Select:
    """A party select, enhanced by the autocomplete where JavaScript runs ("UK" finds the United Kingdom)."""
    return Select(choices=choices, autocomplete=True, aliases=PARTY_ALIASES)


def _required(text: str) -> dict:
    return {"required": text, "invalid_choice": text}


# --- meetings and actions ---------------------------------------------------------------


class AsOfForm(GovForm):
    """The date a report is drawn up on (``?on=``; today when none is given or it is refused)."""

    on = DateField(label="As of", name_in_errors="the date", required=False)

    SENT = ("on", "on-day", "on-month", "on-year")

    @classmethod
    def read(cls, query, today):
        """The date asked for (or today) and the form to show again, with its error if refused."""
        if not any(name in query for name in cls.SENT):
            return today, cls(initial={"on": today})
        form = cls(query)
        if form.is_valid():
            return form.cleaned_data["on"] or today, form
        return today, form


class MeetingForm(GovForm):
    """The meeting's own fields; its agenda and attendee rows are read by the view."""

    title = forms.CharField(
        label="Title",
        help_text="For example, Russia/Ukraine working group",
        max_length=200,
        error_messages={"required": "Enter the title of the meeting"},
        widget=TextInput({"spellcheck": "true"}),
    )
    date = DateField(label="Date", name_in_errors="the date of the meeting", help_text="For example, 10 2 2026")
    consultation = forms.ChoiceField(
        label="Strategic consultation (optional)",
        help_text="If the meeting is one of the six-monthly consultations.",
        required=False,
        error_messages=_required("Select a strategic consultation from the list"),
    )
    working_group = forms.ChoiceField(
        label="Working group (optional)",
        required=False,
        error_messages=_required("Select a working group from the list"),
    )
    location = forms.CharField(
        label="Location (optional)", required=False, max_length=200, widget=TextInput({"spellcheck": "true"})
    )
    outcomes = forms.CharField(
        label="Outcomes (optional)", help_text="What was agreed or noted.", required=False, widget=Textarea(rows=6)
    )

    def __init__(self, data, user, **kwargs):
        super().__init__(data, **kwargs)
        consultations = policy.visible(user, Consultation.objects.all())
        self.fields["consultation"].choices = [("", "Not a consultation")] + [
            (str(c.pk), f"{c.title}, {c.date.day} {c.date:%B %Y}") for c in consultations
        ]
        self.fields["working_group"].choices = [("", "No working group")] + [
            (w.code, w.name) for w in policy.visible(user, WorkingGroup.objects.all())
        ]

    def service_input(self) -> dict:
        """The meeting's fields as the service reads them; a refused field is left out."""
        data = getattr(self, "cleaned_data", {})
        return {
            "title": data.get("title", ""),
            "date": data.get("date"),
            "consultation": data.get("consultation") or None,
            "working_group": data.get("working_group") or None,
            "location": data.get("location", ""),
            "outcomes": data.get("outcomes", ""),
        }


class AgendaRow(GovForm):
    """One agenda item of the meeting form, named ``agenda-<n>-area`` and ``agenda-<n>-title``."""

    area = forms.ChoiceField(
        label="Area of common interest",
        required=False,
        error_messages=_required("Select an area of common interest"),
    )
    title = forms.CharField(label="Item", required=False, widget=TextInput({"spellcheck": "true"}))

    def __init__(self, data, n: int, area_choices, **kwargs):
        super().__init__(data, prefix=f"agenda-{n}", **kwargs)
        self.fields["area"].choices = area_choices


class AttendeeRow(GovForm):
    """One attendee of the meeting form, named ``attendee-<n>-name`` and ``attendee-<n>-party``."""

    name = forms.CharField(label="Name", required=False, widget=TextInput({"autocomplete": "off"}))
    party = forms.ChoiceField(
        label="Party", required=False, error_messages=_required("Select the party of the attendee")
    )

    def __init__(self, data, n: int, choices, **kwargs):
        super().__init__(data, prefix=f"attendee-{n}", **kwargs)
        self.fields["party"].choices = choices
        self.fields["party"].widget = party_select(choices)


def meeting_rows(data, agenda_count: int, attendee_count: int) -> tuple[list[AgendaRow], list[AttendeeRow]]:
    """The agenda and attendee rows of the meeting form (choices read once for all rows)."""
    area_choices = [("", "Choose an area")] + [(a.code, a.name) for a in areas()]
    party = party_choices()
    return (
        [AgendaRow(data, n, area_choices) for n in range(agenda_count)],
        [AttendeeRow(data, n, party) for n in range(attendee_count)],
    )


class ActionForm(GovForm):
    """Add an action on the meeting page (ids prefixed "action-": the page has other forms)."""

    description = forms.CharField(
        label="Description",
        help_text="What is to be done.",
        error_messages={"required": "Enter a description of the action"},
        widget=Textarea(rows=3),
    )
    owner_party = forms.ChoiceField(
        label="Owner party", error_messages=_required("Select the party that owns the action")
    )
    due = DateField(label="Due date", name_in_errors="the due date of the action", help_text="For example, 1 3 2026")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, auto_id="action-%s", **kwargs)
        self.fields["owner_party"].choices = party_choices()
        self.fields["owner_party"].widget = party_select(self.fields["owner_party"].choices)


# --- invitations and exercises ----------------------------------------------------------


class InvitationForm(GovForm):
    """Invite the other side to one of one's own side's internal meetings."""

    body = forms.ChoiceField(label="Meeting body", widget=Radios, error_messages=_required("Select the meeting body"))
    meeting_title = forms.CharField(
        label="Title of the meeting",
        max_length=200,
        error_messages={"required": "Enter the title of the meeting"},
        widget=TextInput({"spellcheck": "true"}),
    )
    date = DateField(
        label="Date of the meeting", name_in_errors="the date of the meeting", help_text="For example, 10 2 2026"
    )
    invitee_party = forms.ChoiceField(label="Party to invite", error_messages=_required("Select the party to invite"))
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=Textarea(rows=3))

    def __init__(self, data=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        # Only the meetings of the user's own side, and only parties of the other side to invite
        # (docs/law/uk-eu-sdp.md#invitations): what cannot be chosen is not offered.
        party = policy.party_of(user) if user is not None else None
        side = side_of(party.code) if party else None
        own_bodies = [b for b in bodies() if side is None or b.convener == side]
        self.fields["body"].choices = [(b.code, b.name) for b in own_bodies]
        choices = party_choices()
        if side is not None:
            own = set(side_parties(side))
            choices = [
                (group, [c for c in members if c[0] not in own]) if isinstance(members, list) else (group, members)
                for group, members in choices
            ]
        self.fields["invitee_party"].choices = choices
        self.fields["invitee_party"].widget = party_select(choices)


class ExerciseForm(GovForm):
    """Record an exercise on the EU calendar; dates and partners may still be unknown."""

    name = forms.CharField(
        label="Name of the exercise",
        max_length=200,
        error_messages={"required": "Enter the name of the exercise"},
        widget=TextInput({"spellcheck": "true"}),
    )
    code = forms.SlugField(
        label="Short name",
        help_text="Letters, digits and hyphens, used in the exercise's address: for example, milex-27",
        max_length=60,
        error_messages={
            "required": "Enter a short name for the exercise",
            "invalid": "The short name must be letters, digits and hyphens only",
        },
        widget=TextInput(width=20),
    )
    series = forms.CharField(label="Series (optional)", required=False, max_length=60, widget=TextInput(width=20))
    start = DateField(label="First day (optional)", name_in_errors="the first day of the exercise", required=False)
    end = DateField(label="Last day (optional)", name_in_errors="the last day of the exercise", required=False)
    lead = forms.MultipleChoiceField(
        label="Leading parties",
        help_text="Select all that apply. If you select none, your party leads.",
        required=False,
        widget=Checkboxes,
        error_messages={"invalid_choice": "Select the leading parties from the list"},
    )
    partners_known = forms.ChoiceField(
        label="Are the invited partners known?",
        choices=[("yes", "Yes"), ("no", "No, not yet")],
        widget=Radios,
        error_messages=_required("Select whether the invited partners are known"),
    )
    invited_partners = forms.MultipleChoiceField(
        label="Invited partners (if known)",
        required=False,
        widget=Checkboxes,
        error_messages={"invalid_choice": "Select the invited partners from the list"},
    )
    scenario = forms.CharField(label="Scenario (optional)", required=False, max_length=5000, widget=Textarea(rows=4))

    def __init__(self, data=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        eu_side = [(p.code, f"{p.name} ({p.code})") for p in services.partnership_parties() if p.code != "GB"]
        self.fields["lead"].choices = sorted(eu_side, key=lambda c: c[1])
        partners = [(p.code, f"{p.name} ({p.code})") for p in Party.objects.order_by("name")]
        self.fields["invited_partners"].choices = partners

    def clean_code(self):
        return self.cleaned_data["code"].lower()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last day of the exercise must be the same as or after the first day")
        if data.get("partners_known") == "no":
            data["invited_partners"] = []
        return data

    @staticmethod
    def service_input_of(data: dict) -> dict:
        """The service's input from the cleaned data (a refused field is left out)."""
        return {
            "name": data.get("name", ""),
            "code": data.get("code", ""),
            "series": data.get("series", ""),
            "start": data.get("start"),
            "end": data.get("end"),
            "lead": data.get("lead") or None,
            "invited_partners": data.get("invited_partners") if data.get("partners_known") == "yes" else None,
            "scenario": data.get("scenario", ""),
        }
