from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    """Long work (portfolio checks, large uploads, plans) run as background jobs."""

    name = "accord.background"
    label = "background"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"
