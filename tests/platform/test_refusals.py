"""Refusals are handled once: a view that lets the policy's exceptions through
answers 404 for a record the user may not see and 403, with the reason, for an
act the user may not take."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accord.platform import policy
from accord.platform.refusals import RefusalMiddleware


def _answer(exception):
    request = RequestFactory().get("/anything/")
    request.user = AnonymousUser()
    middleware = RefusalMiddleware(lambda r: None)
    return middleware.process_exception(request, exception)


@pytest.mark.django_db
def test_a_record_the_user_may_not_see_is_not_found():
    response = _answer(policy.NotVisible())
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_act_the_user_may_not_take_is_forbidden_with_the_reason():
    response = _answer(policy.Forbidden("only the requesting party may withdraw a request"))
    assert response.status_code == 403
    assert "Only the requesting party may withdraw a request." in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_left_to_django():
    assert _answer(ValueError("boom")) is None
