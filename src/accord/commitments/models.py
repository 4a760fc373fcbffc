"""Storage of the commitments capability.

Spending figures and SAFE allocations are public reference data: every
signed-in user may read them (``is_public``); only the owning party may change
them (``accord.platform.policy``). Figures are owned by the state they are
about; allocations by the European Commission (COM), which decides them.
Targets stay dated parameters and groupings stay in the parties registry and
the treaties file: storing them again would only make a second copy.
"""

from __future__ import annotations

from django.db import models

from accord.commitments.engine.spending import MEASURES
from accord.platform.models import OwnedRecord, Party

CONFIDENCE_CHOICES = [(c, c) for c in ("quoted", "secondary", "inferred")]


class SpendingFigure(OwnedRecord):
    """Defence spending as % of GDP for one state, year and measure. Null: a gap."""

    state = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="commitments_spending")
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=20, choices=[(m, m) for m in MEASURES], default="defence")
    percent_gdp = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    approximate = models.BooleanField(default=False)
    source_key = models.CharField(max_length=60, blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=12, choices=CONFIDENCE_CHOICES, blank=True)
    note = models.TextField(blank=True)
    # Loaded from data/defence_spending.yaml (kept in step by `accord setup`) or recorded by a user.
    from_reference = models.BooleanField(default=False)

    class Meta:
        ordering = ["state__code", "measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["state", "year", "measure"], name="commitments_one_figure_per_state_year")
        ]

    def __str__(self) -> str:
        value = "gap" if self.percent_gdp is None else f"{self.percent_gdp}%"
        return f"{self.state.code} {self.year} {self.measure}: {value}"


class SafeAllocation(OwnedRecord):
    """The SAFE loan amount allocated to one Member State, in whole euros."""

    state = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="commitments_safe_allocations")
    amount_eur = models.BigIntegerField()
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=12, choices=CONFIDENCE_CHOICES, blank=True)

    class Meta:
        ordering = ["-amount_eur", "state__code"]
        constraints = [models.UniqueConstraint(fields=["state"], name="commitments_one_allocation_per_state")]

    def __str__(self) -> str:
        return f"{self.state.code}: EUR {self.amount_eur:,}"
