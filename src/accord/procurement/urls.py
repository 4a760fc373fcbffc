"""Web pages of the procurement capability (mounted at /safe/)."""

from django.urls import path

from accord.procurement import views

app_name = "procurement"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="detail"),
]
