from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "accord.commitments"
    label = "commitments"
    verbose_name = "Commitments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the capability's policy rules with the platform.
        from accord.commitments import policy  # noqa: F401
