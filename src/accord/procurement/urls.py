"""Web pages of the procurement capability (mounted at /safe/)."""

from django.urls import path  # noqa: F401

app_name = "procurement"
urlpatterns: list = []
