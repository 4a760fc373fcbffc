"""Storage of the mobility capability: movement requests and per-state permissions."""

from __future__ import annotations

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
    latest_submission = models.CharField(max_length=20)  # a date, or a date-time for hour-based lead times
    decision = models.CharField(max_length=30, choices=DECISION_CHOICES, default="pending")
    conditions = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["movement_id", "entry"]
        constraints = [models.UniqueConstraint(fields=["movement", "state"], name="one_permission_per_state")]

    def __str__(self) -> str:
        return f"{self.state.code} permission for movement {self.movement_id}: {self.decision}"
