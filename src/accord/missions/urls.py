"""Web pages of the missions capability (mounted at /missions/)."""

from django.urls import path  # noqa: F401

app_name = "missions"
urlpatterns: list = []
