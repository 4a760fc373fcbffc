from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accord.platform import policy
from accord.platform.api import membership_rows
from accord.platform.models import Framework, Party
from accord.web.tasks import tasks_for


def home(request):
    """The service's front page; for a signed-in user, first what is waiting for them."""
    user = request.user
    groups = tasks_for(user, timezone.localdate()) if user.is_authenticated else []
    return render(
        request,
        "web/home.html",
        {
            "task_groups": groups,
            "task_count": sum(len(g.tasks) for g in groups),
            "is_administrator": user.is_authenticated and (user.is_superuser or policy.is_platform_administrator(user)),
        },
    )


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct user name and password.",
    }


class SignInView(auth_views.LoginView):
    """Sign-in. Throttling is django-axes' (see settings.AXES_*): its backend
    refuses a locked-out user name and address, and its middleware answers
    with ``signin_locked_out``."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def signin_locked_out(request, original_response=None, credentials=None):
    """The answer to a refused sign-in (web and admin): the sign-in page with
    the reason, status 429, nothing about whether the user name exists."""
    from django.conf import settings

    # An unbound form: validating it again would count one more failure.
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    message = (
        "Too many failed attempts to sign in with this user name. "
        f"Wait {_minutes(settings.LOGIN_THROTTLE_WINDOW_SECONDS)}, then try again."
    )
    return render(request, "registration/login.html", {"form": form, "lockout_message": message}, status=429)


@login_required
def party_list(request):
    kind = request.GET.get("kind")
    parties = Party.objects.all()
    if kind in ("state", "institution"):
        parties = parties.filter(kind=kind)
    return render(request, "web/party_list.html", {"parties": parties, "kind": kind})


@login_required
def party_detail(request, code: str):
    party = get_object_or_404(Party, code=code.upper())
    return render(request, "web/party_detail.html", {"party": party, "memberships": membership_rows(party)})


@login_required
def framework_detail(request, code: str):
    framework = get_object_or_404(Framework, code=code.upper())
    memberships = framework.memberships.select_related("party").order_by("party__code", "start")
    return render(request, "web/framework_detail.html", {"framework": framework, "memberships": memberships})


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "web/403.html", status=403)


def server_error(request):
    return render(request, "web/500.html", status=500)
