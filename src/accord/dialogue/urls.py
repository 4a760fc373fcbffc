"""Web pages of the dialogue capability (mounted at /dialogue/)."""

from django.urls import path  # noqa: F401

app_name = "dialogue"
urlpatterns: list = []
