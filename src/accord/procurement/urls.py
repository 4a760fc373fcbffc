"""Web pages of the procurement capability (mounted at /safe/)."""

from django.urls import path

from accord.procurement import advice_views, report_views, views

app_name = "procurement"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("assessments/<int:assessment_id>/report.pdf", report_views.assessment_pdf, name="report"),
    path("check/report.pdf", report_views.check_pdf, name="check_report"),
    path("bill-of-materials-template.xlsx", report_views.template_xlsx, name="bom_template"),
    path("assessments/<int:assessment_id>/parts.xlsx", advice_views.assessment_parts_xlsx, name="parts_xlsx"),
    path("assessments/<int:assessment_id>/resource/", advice_views.assessment_resource, name="resource"),
]
