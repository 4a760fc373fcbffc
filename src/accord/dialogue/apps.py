from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "accord.dialogue"
    label = "dialogue"
    verbose_name = "Dialogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the capability's policy rules with the platform.
        from accord.dialogue import policy  # noqa: F401
