from django.urls import path

from accord.background import views

app_name = "background"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<str:job_id>/", views.job_detail, name="detail"),
]
