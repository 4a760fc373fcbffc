"""Storage for background jobs and the large inputs they work on.

A ``Job`` is what a user sees of a piece of long work: what it is, how far it
has gone, and its result. The work itself runs as a task of Django's tasks
framework (``django_tasks``): in the web process by default, or in any number
of ``accord worker`` processes when the database backend is configured.

A ``Blob`` holds a large input once, named by the SHA-256 of its bytes, so a
job, a record and its audit entries refer to it by hash instead of copying it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from accord.platform.models import Party


class Blob(models.Model):
    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class Job(models.Model):
    WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
    STATUS_CHOICES = [
        (WAITING, "Waiting to start"),
        (RUNNING, "Running"),
        (DONE, "Done"),
        (FAILED, "Failed"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="jobs")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True)
    payload = models.JSONField(default=dict)
    result = models.JSONField(null=True)
    result_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["owner", "-submitted_at"])]

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.DONE else None
        return min(100, round(100 * self.done / self.total))
