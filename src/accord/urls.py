from django.conf import settings
from django.urls import include, path

from accord.api import api
from accord.platform.admin import admin_site

urlpatterns = [
    path("", include("accord.web.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    *[
        path(f"{prefix}/", include(f"accord.{name}.urls"))
        for name, prefix in [
            ("procurement", "safe"),
            ("mobility", "mobility"),
            ("missions", "missions"),
            ("dialogue", "dialogue"),
            ("commitments", "commitments"),
        ]
        if name in settings.CAPABILITIES
    ],
]

handler404 = "accord.web.views.not_found"
handler403 = "accord.web.views.forbidden"
handler500 = "accord.web.views.server_error"
