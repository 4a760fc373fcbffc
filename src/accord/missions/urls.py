"""Web pages of the missions capability (mounted at /missions/)."""

from django.urls import path

from accord.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("<slug:slug>/", views.mission_detail, name="detail"),
    path("<slug:slug>/participations/", views.invite, name="invite"),
    path("<slug:slug>/requirements/", views.add_requirement, name="add-requirement"),
    path("<slug:slug>/offers/", views.add_offer, name="add-offer"),
    path("<slug:slug>/participations/<int:pk>/step/", views.participation_step, name="step"),
]
