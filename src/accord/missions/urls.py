"""Web pages of the missions capability (mounted at /missions/)."""

from django.urls import path

from accord.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    # Civilian seconded posts (EEAS Goalkeeper); before "<slug>/" so these words are never read as a mission.
    path("secondment-totals/", views.secondment_totals, name="secondment-totals"),
    path("secondment-calls/<int:pk>/", views.secondment_call, name="secondment-call"),
    path("secondment-calls/<int:pk>/applications/", views.apply_for_secondment, name="secondment-apply"),
    path("secondment-calls/<int:pk>/selection/", views.select_secondees, name="secondment-select"),
    path("<slug:slug>/", views.mission_detail, name="detail"),
    path("<slug:slug>/participations/", views.invite, name="invite"),
    path("<slug:slug>/requirements/", views.add_requirement, name="add-requirement"),
    path("<slug:slug>/offers/", views.add_offer, name="add-offer"),
    path("<slug:slug>/secondment-calls/", views.publish_secondment_call, name="secondment-publish"),
    path("<slug:slug>/participations/<int:pk>/step/", views.participation_step, name="step"),
]
