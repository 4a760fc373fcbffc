from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "accord.commitments"
    label = "commitments"
    verbose_name = "Commitments"
    default_auto_field = "django.db.models.BigAutoField"
