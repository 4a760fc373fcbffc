"""Storage of the mobility capability: movement requests and per-state permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.platform.models import OwnedRecord, Party

DECISIONS = ("pending", "granted", "granted_with_conditions", "refused")
GRANTED = ("granted", "granted_with_conditions")


class MovementRequest(OwnedRecord):
    """A planned movement, owned by the requesting state and shared with every state it crosses.

    ``plan`` keeps the planner's output as computed when the request was
    submitted (legs, timing, states, deadlines), so the request shows what
    was asked even if the network data or parameters change later.
    """

    STATUS_CHOICES = [("pending", "Pending"), ("cleared", "Cleared"), ("refused", "Refused")]

    title = models.CharField(max_length=200)
    origin = models.CharField(max_length=80)
    destination = models.CharField(max_length=80)
    depart = models.DateTimeField()
    arrival = models.DateTimeField()
    vehicles = models.JSONField(default=list)
    mode = models.CharField(max_length=10)
    regime = models.CharField(max_length=20)
    emergency = models.BooleanField(default=False)
    network_version = models.CharField(max_length=40)
    plan = models.JSONField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default="pending")

    class Meta:
        ordering = ["depart", "id"]

    def __str__(self) -> str:
        return f"Movement {self.pk}: {self.origin} → {self.destination} ({self.status})"


class Permission(OwnedRecord):
    """One transit (or host) state's permission for a movement; owned by that state.

    Shared with the requesting state and the other states of the movement, so
    each sees where the request stands; only the state's approvers decide it
    (policy rule ``mobility.decide_permission``).
    """

    DECISION_CHOICES = [(d, d.replace("_", " ").capitalize()) for d in DECISIONS]

    movement = models.ForeignKey(MovementRequest, on_delete=models.CASCADE, related_name="permissions")
    state = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    entry = models.DateTimeField()
    exit = models.DateTimeField()
    lead_time = models.JSONField()
    latest_submission = models.CharField(
        max_length=32
    )  # a date, or a date-time with its UTC offset (hour-based lead times)
    decision = models.CharField(max_length=30, choices=DECISION_CHOICES, default="pending")
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)  # a refusal must give one (issue 12: decisions with care)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["movement_id", "entry"]
        constraints = [models.UniqueConstraint(fields=["movement", "state"], name="one_permission_per_state")]

    def __str__(self) -> str:
        return f"{self.state.code} permission for movement {self.movement_id}: {self.decision}"


class PreAuthorisation(OwnedRecord):
    """A state's annual pre-authorisation of low-impact movements by another state (EDA arrangement).

    Owned by the granting state, shared with the beneficiary. A movement
    request may claim a pre-authorisation only where one is stored, in force
    on the day of entry, for the requesting state.
    """

    beneficiary = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_until = models.DateField()
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["owner_id", "beneficiary_id", "valid_from"]

    def __str__(self) -> str:
        return f"{self.owner.code} pre-authorises {self.beneficiary.code} {self.valid_from}–{self.valid_until}"
