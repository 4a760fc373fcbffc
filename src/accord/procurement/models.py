"""Storage of SAFE assessments (the engine decides; this only keeps the record)."""

from __future__ import annotations

from django.db import models

from accord.platform.models import OwnedRecord


class Assessment(OwnedRecord):
    """One SAFE eligibility assessment: the case as given, and the verdict it received.

    Owned by the creating user's party; shared with the procurers and the
    Commission (COM). The case is kept (BOM included) so the verdict page can
    re-assess it under another scenario; the stored verdict is the one given
    at creation, with the parameters in force then.
    """

    title = models.CharField(max_length=300)
    assessment_date = models.DateField()
    scenario = models.CharField(max_length=100, default="baseline")
    eligible = models.BooleanField()
    bom_source = models.CharField(max_length=200, blank=True)
    case = models.JSONField()
    verdict = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({'eligible' if self.eligible else 'not eligible'})"
