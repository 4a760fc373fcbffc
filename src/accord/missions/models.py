"""Storage of the missions capability.

- ``Mission``: the register as reference records, owned by the EEAS and
  public (every signed-in user reads them; only the EEAS may change them).
  Loaded from ``data/missions.yaml`` by ``accord setup`` (``reference.py``).
- ``Requirement``: a line of a mission's statement of requirements, owned by
  the EEAS, shared with EU member states and with third states it calls.
- ``Offer``: a state's offered contribution with its caveats, owned by the
  offering state and shared with the EEAS and the Council.
- ``Participation``: one third state's participation in one mission, owned by
  the Council (the PSC decides), shared with the EEAS and the state. Once the
  PSC accepts it, it becomes public: the acceptance decision is published.

Who may take which workflow step is the pure engine's table, asked through
the platform policy (``policy.py``); every step is also an audit event.
"""

from __future__ import annotations

from django.db import models

from accord.missions.engine.register import MISSION_TYPES
from accord.platform.models import OwnedRecord, Party

CONFIDENCE_CHOICES = [(c, c) for c in ("quoted", "secondary", "inferred")]
STATUS_CHOICES = [
    (s, s) for s in ("start", "invited", "called", "offered", "recommended", "accepted", "rejected", "associated")
]


class Mission(OwnedRecord):
    acronym = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=[(t, t) for t in MISSION_TYPES])
    kind = models.CharField(max_length=20, default="mission")
    theatre = models.CharField(max_length=200)
    region = models.CharField(max_length=80)
    host_countries = models.JSONField(default=list, blank=True)
    established = models.DateField()
    launched = models.DateField(null=True, blank=True)
    mandate_end = models.DateField(null=True, blank=True)
    mandate_end_source_title = models.CharField(max_length=300, blank=True)
    mandate_end_source_href = models.URLField(max_length=500, blank=True)
    closed = models.BooleanField(default=False)
    legal_basis_title = models.CharField(max_length=300)
    legal_basis_href = models.URLField(max_length=500, blank=True)
    strength = models.PositiveIntegerField(null=True, blank=True)  # unknown stays null
    source_title = models.CharField(max_length=300)
    source_href = models.URLField(max_length=500, blank=True)
    confidence = models.CharField(max_length=12, choices=CONFIDENCE_CHOICES)
    note = models.TextField(blank=True)
    from_reference = models.BooleanField(default=True)
    # Dated records, as in the register file: mandate renewals with their Council
    # decision, and facts (strength, headquarters, commander, budget) with a source.
    renewals = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=list, blank=True)
    part_of = models.CharField(max_length=60, blank=True)  # a cell inside another mission
    # Dates known only to their month or year: {"launched": "month"} (see engine/register.py).
    precision = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym


class Requirement(OwnedRecord):
    """A capability with a quantity in a mission's statement of requirements."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(max_length=40)  # the line id, e.g. "R1"
    capability = models.CharField(max_length=60)
    job_description = models.CharField(max_length=20, blank=True)
    quantity = models.PositiveIntegerField()
    needed_from = models.DateField()
    duration_days = models.PositiveIntegerField()
    tasks = models.JSONField(default=list, blank=True)
    area = models.CharField(max_length=120, blank=True)
    personnel_per_unit = models.PositiveIntegerField(default=1)  # caps weigh units by it
    priority = models.PositiveSmallIntegerField(default=1)  # 1 is filled first
    rotation = models.BooleanField(default=False)  # successive contributions may fill it

    class Meta:
        ordering = ["mission__acronym", "code"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"], name="missions_requirement_code_unique")]

    def __str__(self) -> str:
        return f"{self.mission.acronym} {self.code}: {self.capability} x{self.quantity}"


class Offer(OwnedRecord):
    """A contribution offered by a state (the owner), with caveats."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="offers")
    code = models.CharField(max_length=40)
    capability = models.CharField(max_length=60)
    job_description = models.CharField(max_length=20, blank=True)
    quantity = models.PositiveIntegerField()
    available_from = models.DateField()
    available_until = models.DateField(null=True, blank=True)
    max_duration_days = models.PositiveIntegerField(null=True, blank=True)
    excluded_tasks = models.JSONField(default=list, blank=True)
    excluded_areas = models.JSONField(default=list, blank=True)
    common_cost = models.BooleanField(default=False)  # financed in common (European Peace Facility)
    personnel_per_unit = models.PositiveIntegerField(default=1)
    reserve = models.BooleanField(default=False)  # held in reserve, never allocated
    # The force generation round the offer was made in (null: outside any round).
    round = models.ForeignKey(
        "ForceGenerationRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )

    class Meta:
        ordering = ["mission__acronym", "code"]
        # A state names its own offers: codes are unique per state, so a clash never reveals
        # that another state has an offer of that code (permission before existence).
        constraints = [
            models.UniqueConstraint(fields=["mission", "owner", "code"], name="missions_offer_code_unique_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.mission.acronym} {self.code}: {self.owner_id} {self.capability} x{self.quantity}"


class Participation(OwnedRecord):
    """A third state's participation in a mission, through the workflow steps."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="participations")
    state = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="missions_participations")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="start")
    participation_agreement = models.BooleanField(default=False)
    # The ad hoc (per-mission) agreement of a third state without an FPA, as recorded by the
    # Council: its title as published, the day it was signed, and where it is published.
    agreement_title = models.CharField(max_length=300, blank=True)
    agreement_signed_on = models.DateField(null=True, blank=True)
    agreement_href = models.URLField(max_length=500, blank=True)
    history = models.JSONField(default=list, blank=True)  # the engine's steps, oldest first

    class Meta:
        ordering = ["mission__acronym", "state__code"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "state"], name="missions_one_participation_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.state.code} in {self.mission.acronym}: {self.status}"


class ForceGenerationRound(OwnedRecord):
    """One round of a force generation conference: the EEAS calls for offers against the
    statement of requirements as it stands (kept as it was), states offer until the
    round closes, and the round ends with its shortfall list (kept as it was)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="forcegen_rounds")
    number = models.PositiveSmallIntegerField()
    opened_on = models.DateField()  # the server's date of the call
    closes_on = models.DateField()  # last day offers are received in this round
    closed_on = models.DateField(null=True, blank=True)  # the server's date of the close
    statement = models.JSONField(default=list)  # the requirements when the round opened
    changes = models.JSONField(default=list, blank=True)  # revisions since the previous round, in words
    shortfall = models.JSONField(default=list, blank=True)  # per requirement, at the close
    offers_counted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["mission__acronym", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="missions_round_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mission.acronym} round {self.number}"


class CommitteeOfContributors(OwnedRecord):
    """A PSC decision setting up (or changing) a mission's Committee of Contributors,
    e.g. PSC Decision (CFSP) 2015/664 (EUMAM RCA/1/2015). The latest decision stands."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="committee_decisions")
    psc_decision = models.CharField(max_length=200)  # the decision's reference, as published
    decided_on = models.DateField()  # recorded by the server, never by the client
    members = models.JSONField(default=list)  # party codes

    class Meta:
        ordering = ["mission__acronym", "-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mission.acronym}: {self.psc_decision}"


class SecondmentCall(OwnedRecord):
    """A call for contributions for civilian seconded posts (EEAS Goalkeeper, Headhunter)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="secondment_calls")
    code = models.CharField(max_length=40, unique=True)
    published_on = models.DateField()
    deadline = models.DateField()  # last day applications are received
    posts = models.JSONField(default=list)  # [{"id", "job_description", "location"}]

    class Meta:
        ordering = ["mission__acronym", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.mission.acronym})"


class SecondmentApplication(OwnedRecord):
    """A state's nomination of a candidate for a post (Goalkeeper, Registrar); owned by the state."""

    call = models.ForeignKey(SecondmentCall, on_delete=models.CASCADE, related_name="applications")
    code = models.CharField(max_length=40)
    post = models.CharField(max_length=40)
    candidate = models.CharField(max_length=60)  # a pseudonymous reference, never a name
    submitted_on = models.DateField()
    selected = models.BooleanField(default=False)

    class Meta:
        ordering = ["call__code", "code"]
        # Codes are unique per nominating state (see Offer): no clash reveals another state's application.
        constraints = [
            models.UniqueConstraint(fields=["call", "owner", "code"], name="missions_application_code_unique_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.call.code} {self.code}: {self.post}"
