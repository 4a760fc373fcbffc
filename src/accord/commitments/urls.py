"""Web pages of the commitments capability (mounted at /commitments/)."""

from django.urls import path

from accord.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.spending_chart, name="chart"),
    path("figures/", views.figures, name="figures"),
    path("allocations/", views.allocations, name="allocations"),
    path("groupings/", views.groupings, name="groupings"),
]
