"""Storage for the platform: parties, memberships, users' parties and roles,
API tokens, and the append-only, hash-chained audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLES = ("viewer", "editor", "approver", "administrator")


class Party(models.Model):
    """A state (ISO 3166-1 alpha-2 code) or an institution (EU, EEAS, COM ...)."""

    KIND_CHOICES = [("state", "State"), ("institution", "Institution")]

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Framework(models.Model):
    """Something parties belong to: the EU, NATO, EEA-EFTA, an SDP, an FPA, JEF ..."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A dated membership: ``start`` and ``end`` are inclusive; null means not recorded / open."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="memberships")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="memberships")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_href = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["framework__code", "start"]
        constraints = [models.UniqueConstraint(fields=["party", "framework", "start"], name="unique_membership_period")]

    def __str__(self) -> str:
        return f"{self.party.name} in {self.framework.name}"


_write_guard = None


def install_write_guard(guard) -> None:
    """``accord.platform.audit`` installs its ``audited_write`` here when it is imported
    (the app's ``ready``): the audit reads these models, so they cannot import it."""
    global _write_guard
    _write_guard = guard


def audited_write(using=None):
    """The one transaction a change and its audit entries run in (see ``accord.platform.audit``)."""
    if _write_guard is None:  # fail closed: never write without the trail
        raise RuntimeError("the audit trail is not installed: accord.platform is not a ready Django app")
    return _write_guard(using)


class AuditedQuerySet(models.QuerySet):
    """Bulk writes go record by record through the audited save, so none skips the trail."""

    def update(self, **kwargs):
        if any(hasattr(v, "resolve_expression") for v in kwargs.values()):
            raise PermissionError("an update with database expressions bypasses the audit trail: save each record")
        count = 0
        with audited_write(self.db):
            for record in list(self):
                for name, value in kwargs.items():
                    setattr(record, name, value)
                record.save()
                count += 1
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        with audited_write(self.db):
            for record in objs:
                record.save(update_fields=list(fields))
        return len(objs)

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with audited_write(self.db):
            for record in objs:
                record.save(force_insert=True)
        return objs

    bulk_create.alters_data = True

    def delete(self):
        with audited_write(self.db):
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class AuditedWrites:
    """Saves and deletions run in one transaction with their audit entries.

    The one place where "every change and its audit entry in one transaction"
    is enforced, whichever service, view or command saves the record.
    """

    def save(self, *args, **kwargs):
        from accord.platform.limits import check_record

        check_record(self)  # text the column cannot hold is an input error, before the database sees it
        with audited_write(kwargs.get("using")):
            super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        with audited_write(kwargs.get("using")):
            return super().delete(*args, **kwargs)

    delete.alters_data = True


class Profile(AuditedWrites, models.Model):
    """Which party a user acts for, and with which roles."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accord_profile")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="users")
    roles = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.user} for {self.party.code} ({', '.join(self.roles)})"


class ApiToken(models.Model):
    """A per-user API token. Only a SHA-256 hash of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}... ({self.user})"


class OwnedRecord(AuditedWrites, models.Model):
    """Base of every domain record: owned by one party, shared with others.

    Who may see or change it is decided by ``accord.platform.policy`` only.
    Saves and deletions are audited automatically (``accord.platform.audit``).
    ``is_public`` marks reference records that every signed-in user may read
    (e.g. the CSDP mission register); only the owner may still change them.
    """

    owner = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    shared_with = models.ManyToManyField(Party, blank=True, related_name="%(app_label)s_%(class)s_shared+")
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401
        raise PermissionError("the audit trail is append-only")

    def delete(self):
        raise PermissionError("the audit trail is append-only")


class AuditEntry(models.Model):
    """One entry of the append-only audit trail; each links to the previous by hash."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    actor_party = models.CharField(max_length=12, blank=True)
    action = models.CharField(max_length=60)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    owner = models.CharField(max_length=12, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class AuditHead(models.Model):
    """The latest sequence and hash, so removing the newest entries is detectable."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class AuditCheckpoint(models.Model):
    """The newest entry ``accord audit verify`` found intact, so the next run starts there.

    Only entries after it are recomputed; ``accord audit verify --full`` walks
    the whole chain again (and catches rows altered below the checkpoint).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    verified_at = models.DateTimeField()
    full = models.BooleanField(default=False, help_text="Whether the run that set it walked the whole chain.")
