from django.db import models

from accord.platform.models import OwnedRecord


class Dossier(OwnedRecord):
    """A minimal domain record for platform tests."""

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="draft")
