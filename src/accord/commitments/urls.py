"""Web pages of the commitments capability (mounted at /commitments/)."""

from django.urls import path  # noqa: F401

app_name = "commitments"
urlpatterns: list = []
