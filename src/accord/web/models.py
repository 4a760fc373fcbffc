"""What the web layer stores for a user: which emails they want."""

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    """Which emails a user receives. A user with no preference stored receives them all.
    Its changes are recorded in the audit trail as events by the page that makes them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    invitations = models.BooleanField("invitations to meetings", default=True)
    decisions = models.BooleanField("decisions on what my party asked", default=True)

    class Meta:
        verbose_name = "email preference"

    def __str__(self) -> str:
        return f"email preferences of {self.user}"
