from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "accord.missions"
    label = "missions"
    verbose_name = "Missions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the capability's policy rules with the platform.
        from accord.missions import policy  # noqa: F401
