"""Web pages of the missions capability (mounted at /missions/)."""

from django.urls import path

from accord.missions.views import forcegen, lists, participations, register, secondment

app_name = "missions"
urlpatterns = [
    path("", register.mission_list, name="list"),
    # Civilian seconded posts (EEAS Goalkeeper); before "<slug>/" so these words are never read as a mission.
    path("register/", lists.mission_register, name="register"),
    path("participations/", lists.participation_list, name="participations"),
    path("secondment-totals/", secondment.secondment_totals, name="secondment-totals"),
    path("secondment-calls/<int:pk>/", secondment.secondment_call, name="secondment-call"),
    path("secondment-calls/<int:pk>/applications/", secondment.apply_for_secondment, name="secondment-apply"),
    path("secondment-calls/<int:pk>/selection/", secondment.select_secondees, name="secondment-select"),
    path("<slug:slug>/", register.mission_detail, name="detail"),
    path("<slug:slug>/participations/", participations.invite, name="invite"),
    path("<slug:slug>/requirements/", forcegen.add_requirement, name="add-requirement"),
    path("<slug:slug>/offers/", forcegen.add_offer, name="add-offer"),
    path("<slug:slug>/secondment-calls/", secondment.publish_secondment_call, name="secondment-publish"),
    path("<slug:slug>/rounds/", forcegen.open_round, name="open-round"),
    path("<slug:slug>/rounds/<int:number>/close/", forcegen.close_round, name="close-round"),
    path("<slug:slug>/participations/<int:pk>/step/", participations.participation_step, name="step"),
]
