from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "accord.platform"
    label = "platform"
    verbose_name = "Accord platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the audit signal handlers: every save of an OwnedRecord is audited.
        from accord.platform import audit  # noqa: F401
