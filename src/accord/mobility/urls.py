"""Web pages of the mobility capability (mounted at /mobility/)."""

from django.urls import path  # noqa: F401

app_name = "mobility"
urlpatterns: list = []
