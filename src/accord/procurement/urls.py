"""Web pages of the procurement capability (mounted at /safe/)."""

from django.urls import path

from accord.procurement import advice_views, portfolio_views, report_views, views

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
    path("assessments/<int:assessment_id>/accept/", portfolio_views.accept_verdict, name="accept"),
    path("declarations/", portfolio_views.declarations_page, name="declarations"),
    path("declarations/expiring/", portfolio_views.declarations_expiring, name="expiring"),
    path("portfolio/", portfolio_views.portfolio_page, name="portfolio"),
    path("scenarios/", portfolio_views.scenarios_page, name="scenarios"),
    path("reassessment/", portfolio_views.reassessment_page, name="reassessment"),
]
