"""Storage of the dialogue capability. Every domain record is an OwnedRecord:
who may see it is decided by ``accord.platform.policy`` (owner, shared_with,
is_public), and every save is audited by the platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.dialogue.engine import exercises as exercise_rules
from accord.dialogue.engine import invitations as invitation_rules
from accord.dialogue.engine.meetings import ACTION_STATUSES
from accord.platform.models import OwnedRecord, Party


def _choices(values):
    return [(v, v.replace("_", " ")) for v in values]


class WorkingGroup(OwnedRecord):
    """A working group of the UK-EU dialogue; administrators add more."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    established = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Consultation(OwnedRecord):
    """One six-monthly strategic consultation of the cycle (owner: the host side)."""

    sequence = models.PositiveIntegerField(unique=True)
    date = models.DateField()
    host = models.CharField(max_length=12)  # side code: GB or EU
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return self.title


class Meeting(OwnedRecord):
    """A consultation meeting or a working-group meeting."""

    title = models.CharField(max_length=200)
    date = models.DateField()
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    location = models.CharField(max_length=200, blank=True)
    agenda = models.JSONField(default=list)  # [{"area": code, "title": str}]
    attendees = models.JSONField(default=list)  # [{"name": str, "party": code}]
    outcomes = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(OwnedRecord):
    """An action agreed at a meeting: the owner party must do it by the due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    status = models.CharField(max_length=20, choices=_choices(ACTION_STATUSES), default="open")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Invitation(OwnedRecord):
    """An invitation to the other side's internal meeting (owner: the inviting party)."""

    body = models.CharField(max_length=40)  # code in dialogue/data/bodies.yaml
    meeting_title = models.CharField(max_length=200)
    date = models.DateField()
    inviting_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    invitee_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=_choices(invitation_rules.STATES), default=invitation_rules.INVITED)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_title} ({self.invitee_party_id})"


class Exercise(OwnedRecord):
    """An EU crisis-management exercise. Unknown facts stay null."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    series = models.CharField(max_length=60, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)  # inclusive
    lead = models.JSONField(default=list)  # party codes
    scenario = models.TextField(blank=True)
    invited_partners = models.JSONField(null=True, blank=True)  # party codes; null: unknown
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["start", "code"]

    def __str__(self) -> str:
        return self.name


class ExerciseParticipation(OwnedRecord):
    """A partner's offer to take part in an exercise (owner: the partner)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participations")
    partner = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=_choices(exercise_rules.STATES), default=exercise_rules.OFFERED)
    offered_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["exercise", "partner__code"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "partner"], name="one_offer_per_partner_and_exercise")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.exercise_id}"


class CalendarFeed(models.Model):
    """A per-user secret calendar URL. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}... ({self.user})"
