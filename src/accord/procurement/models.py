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
    # Added for portfolios and re-evaluation (migration 0002):
    category = models.IntegerField(null=True, blank=True)
    # ",PL,LT,": the procurers, so a portfolio filters on them with plain portable SQL (LIKE)
    procurers = models.CharField(max_length=300, blank=True, default="")
    # the parameter values the verdict used: name -> value on the assessment date
    parameters = models.JSONField(default=dict, blank=True)
    user_scenario = models.ForeignKey(
        "SafeScenario", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    # A re-evaluation under changed parameters that differs from the stored verdict: kept beside
    # it, with the differences, until a user accepts it; the stored verdict is never rewritten silently.
    pending_verdict = models.JSONField(null=True, blank=True)
    pending_parameters = models.JSONField(null=True, blank=True)
    differences = models.JSONField(default=list, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({'eligible' if self.eligible else 'not eligible'})"


class SupplierDeclaration(OwnedRecord):
    """A supplier's declaration of the origin of one of its parts, for a period (both days included).

    Owned by the party (the firm) that uploaded it and seen only by it (the policy);
    a BOM line naming the supplier and part takes its origin from the declaration
    valid on the assessment date (``engine/declarations.py``).
    """

    supplier = models.CharField(max_length=200)
    part_number = models.CharField(max_length=200)
    # how the supplier and the part are matched (case and spacing do not matter)
    supplier_key = models.CharField(max_length=200)
    part_key = models.CharField(max_length=200)
    origin = models.CharField(max_length=2)
    valid_from = models.DateField()
    valid_to = models.DateField()
    document_reference = models.CharField(max_length=200)
    source = models.CharField(max_length=200, blank=True)  # the file it came from

    class Meta:
        ordering = ["valid_to", "supplier", "part_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "supplier_key", "part_key", "valid_from"], name="one_declaration_per_part_and_start"
            )
        ]
        indexes = [models.Index(fields=["owner", "valid_to"], name="declaration_owner_valid_to")]

    def __str__(self) -> str:
        return f"{self.supplier} {self.part_number}: {self.origin}"


class SafeScenario(OwnedRecord):
    """A party's own scenario: overrides of the SAFE parameters, as uploaded (YAML), usable in a check."""

    name = models.CharField(max_length=100)
    label = models.CharField(max_length=300)
    overrides = models.JSONField()
    source_text = models.TextField()  # the YAML as given

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_scenario_name_per_party")]

    def __str__(self) -> str:
        return f"{self.name}: {self.label}"
