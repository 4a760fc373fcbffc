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


class DeploymentPlan(OwnedRecord):
    """A state's deployment plan (issue 14): its force list, capacity overrides and the schedule.

    Owned by the planning state and visible only to it and the parties it
    shares the plan with (a NATO or EU planning party, to merge it with
    others). A merged plan is owned by the party that merged it and shared
    with every state whose plan it includes; ``merged_from`` names them and
    ``conflicts`` keeps, per node and day, where the national plans together
    asked for more than the node can take.
    """

    STATUS_CHOICES = [("scheduling", "Scheduling"), ("planned", "Planned"), ("failed", "Could not be planned")]

    title = models.CharField(max_length=200)
    force = models.JSONField()  # the force list as records (one per unit and vehicle type)
    assets = models.JSONField(default=dict, blank=True)  # capacity overrides, as an --assets file
    units = models.PositiveIntegerField(default=0)
    vehicles = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default="scheduling")
    job = models.UUIDField(null=True, blank=True)  # the background job scheduling it
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    merged_from = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="merged_into")
    conflicts = models.JSONField(default=list, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Deployment plan {self.pk}: {self.title} ({self.status})"
