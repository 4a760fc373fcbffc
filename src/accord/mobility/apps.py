from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "accord.mobility"
    label = "mobility"
    verbose_name = "Mobility"
    default_auto_field = "django.db.models.BigAutoField"
