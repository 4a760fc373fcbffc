"""Web pages of the mobility capability (mounted at /mobility/)."""

from django.urls import path

from accord.mobility import deploy_views, movement_list, views

app_name = "mobility"
urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/all/", movement_list.movements, name="movement-list"),
    path("movements/<int:movement_id>/", views.movement_detail, name="movement"),
    path("movements/<int:movement_id>/permissions/<str:state>/", views.decide, name="decide"),
    path("inbox/", views.inbox, name="inbox"),
    # Deployment plans (issue 14)
    path("deployments/", deploy_views.deployment_list, name="deployments"),
    path("deployments/new/", deploy_views.deployment_create, name="deployment_create"),
    path("deployments/merge/", deploy_views.deployment_merge, name="deployment_merge"),
    path("deployments/<str:plan_id>/", deploy_views.deployment_detail, name="deployment"),
    path("deployments/<str:plan_id>/plan.xlsx", deploy_views.deployment_export, name="deployment_xlsx"),
    path(
        "deployments/<str:plan_id>/<str:table>.csv",
        deploy_views.deployment_export,
        {"fmt": "csv"},
        name="deployment_csv",
    ),
]
