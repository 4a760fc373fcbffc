from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "accord.mobility"
    label = "mobility"
    verbose_name = "Mobility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the capability's policy rules with the platform.
        from accord.mobility import policy  # noqa: F401
