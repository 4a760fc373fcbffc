"""Web pages of the mobility capability (mounted at /mobility/)."""

from django.urls import path

from accord.mobility import movement_list, views

app_name = "mobility"
urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/all/", movement_list.movements, name="movement-list"),
    path("movements/<int:movement_id>/", views.movement_detail, name="movement"),
    path("movements/<int:movement_id>/permissions/<str:state>/", views.decide, name="decide"),
    path("inbox/", views.inbox, name="inbox"),
]
