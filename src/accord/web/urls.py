from django.contrib.auth import views as auth_views
from django.urls import path

from accord.web import account_views, audit_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("parties/", views.party_list, name="party-list"),
    path("parties/<str:code>/", views.party_detail, name="party-detail"),
    path("frameworks/<str:code>/", views.framework_detail, name="framework-detail"),
    path("audit/", audit_views.audit_trail, name="audit-trail"),
    path("audit/verify/", audit_views.verify_audit_trail, name="audit-verify"),
    path("account/notifications/", account_views.notification_preferences, name="notification-preferences"),
]
