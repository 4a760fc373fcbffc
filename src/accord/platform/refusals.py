"""Refusals handled once for the web: a record the user may not see is "not
found" (404, so its existence is not revealed), an act the user may not take
is "forbidden" (403, with the reason in words). Views let the policy's
exceptions propagate instead of catching them one by one; the API maps the
same exceptions in ``accord.api``."""

from __future__ import annotations

from django.shortcuts import render

from accord.platform import policy


class RefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, policy.NotVisible):
            return render(request, "web/404.html", status=404)
        if isinstance(exception, policy.Forbidden):
            return render(request, "web/403.html", {"reason": str(exception)}, status=403)
        return None
