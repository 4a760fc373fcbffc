from django.conf import settings

from accord.platform.audit import acting_as


class AuditActorMiddleware:
    """Attribute audit entries written during a web request to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (no inline script or style)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            if request.path.startswith("/api/v1/docs"):
                # The interactive API docs page configures Swagger UI with an inline script.
                policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                )
            response["Content-Security-Policy"] = policy
        return response
