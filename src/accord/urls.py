from django.urls import include, path

from accord.api import api
from accord.platform.admin import admin_site
from accord.platform.capabilities import capability_configs

urlpatterns = [
    path("", include("accord.web.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    path("jobs/", include("accord.background.urls")),
    *[
        path(f"{capability.prefix}/", include(f"{capability.name}.{capability.urls_module}"))
        for capability in capability_configs()
        if capability.urls_module
    ],
]

handler404 = "accord.web.views.not_found"
handler403 = "accord.web.views.forbidden"
handler500 = "accord.web.views.server_error"
