"""Civilian seconded posts, as the EEAS Goalkeeper platform runs them.

Headhunter: standard job descriptions and calls for contributions (a call
lists posts of a mission by job description, with a deadline). Registrar:
national applications (a state nominates a candidate for a post), selection,
and statistics (totals per contributor and mission). EEAS Goalkeeper (goalkeeper.eeas.europa.eu).

Pure Python; candidates are pseudonymous references, never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from accord.errors import InputError, Problem
from accord.values import to_date

from . import words
from .catalogues import Catalogues, load_catalogues
from .workflow import EU_FRAMEWORK, PartyFacts


@dataclass(frozen=True)
class Post:
    id: str
    job_description: str
    location: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "job_description": self.job_description, "location": self.location}


@dataclass(frozen=True)
class Call:
    """A call for contributions for seconded posts in one mission."""

    id: str
    mission: str
    published_on: dt.date
    deadline: dt.date  # last day applications are received
    posts: tuple[Post, ...]

    def post(self, post_id: str) -> Post | None:
        return next((p for p in self.posts if p.id == post_id), None)


@dataclass(frozen=True)
class Application:
    """A state's nomination of a candidate for a post."""

    id: str
    call: str
    post: str
    candidate: str  # pseudonymous reference
    nominated_by: str  # party code
    submitted_on: dt.date


@dataclass(frozen=True)
class Selection:
    call: str
    mission: str
    post: str
    application: str
    candidate: str
    contributor: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "call": self.call,
            "mission": self.mission,
            "post": self.post,
            "application": self.application,
            "candidate": self.candidate,
            "contributor": self.contributor,
        }


def validate_call(call: Call, catalogues: Catalogues | None = None) -> None:
    """Raise ``InputError`` naming every bad field of a call."""
    cat = catalogues or load_catalogues()
    problems = []
    if call.deadline < call.published_on:
        problems.append(Problem("is before the publication date", field="deadline", item=call.id))
    if not call.posts:
        problems.append(Problem("a call lists at least one post", field="posts", item=call.id))
    seen = set()
    for i, post in enumerate(call.posts):
        if cat.job_description(post.job_description) is None:
            problems.append(
                Problem(
                    f"“{post.job_description}” is not a standard job description of the catalogue",
                    field=f"posts[{i}].job_description",
                    item=post.id,
                )
            )
        if post.id in seen:
            problems.append(
                Problem(f"the post reference “{post.id}” is used twice", field=f"posts[{i}].id", item=post.id)
            )
        seen.add(post.id)
    if problems:
        raise InputError(problems)


def application_problems(
    app: Application,
    call: Call,
    *,
    registry: PartyFacts,
    invited_third_states: Iterable[str] = (),
) -> list[str]:
    """Why an application is not admissible (empty: it is).

    Member states may nominate for any call; a third state only for a mission
    it has been invited to (participation workflow). Applications close at the
    end of the deadline day.
    """
    reasons = []
    if app.call != call.id:
        reasons.append(f"application {app.id} is for call {app.call}, not {call.id}")
    if call.post(app.post) is None:
        reasons.append(f"call {call.id} has no post {app.post}")
    if app.submitted_on > call.deadline:
        reasons.append(f"Received on {words.day(app.submitted_on)}, after the deadline of {words.day(call.deadline)}")
    if app.submitted_on < call.published_on:
        reasons.append(
            f"Received on {words.day(app.submitted_on)}, before the call was published on {words.day(call.published_on)}"
        )
    if not registry.is_known(app.nominated_by):
        reasons.append("The nominating state is not known to the service")
    elif not registry.is_member(app.nominated_by, EU_FRAMEWORK, on=app.submitted_on) and app.nominated_by not in set(
        invited_third_states
    ):
        reasons.append(
            f"{words.capitalised(words.party_name(registry, app.nominated_by))} is neither an EU member state "
            f"nor a third state invited to {call.mission}"
        )
    return reasons


def select(
    call: Call,
    applications: Iterable[Application],
    choices: Mapping[str, str],
    *,
    registry: PartyFacts,
    invited_third_states: Iterable[str] = (),
    on: dt.date,
) -> list[Selection]:
    """Select one admissible application per chosen post (``choices``: post id -> application id).

    ``on`` is the day of the selection (the server's): applications are received
    until the end of the deadline day, so a selection is made only after it.
    """
    apps = {a.id: a for a in applications}
    invited = set(invited_third_states)
    problems: list[Problem] = []
    if on <= call.deadline:
        raise InputError(
            Problem(
                f"Applications to call {call.id} are received until the end of {_long(call.deadline)}: "
                f"select after that day (today is {_long(on)})",
                field="choices",
            )
        )
    selections: list[Selection] = []
    chosen_candidates: dict[str, str] = {}
    for post_id, app_id in sorted(choices.items()):
        field = f"choices.{post_id}"
        app = apps.get(app_id)
        if call.post(post_id) is None:
            problems.append(Problem(f"call {call.id} has no post {post_id}", field=field, item=post_id))
            continue
        if app is None:
            problems.append(Problem(f"there is no application “{app_id}” for this call", field=field, item=post_id))
            continue
        if app.post != post_id:
            problems.append(
                Problem(f"application {app_id} is for post {app.post}, not {post_id}", field=field, item=post_id)
            )
            continue
        reasons = application_problems(app, call, registry=registry, invited_third_states=invited)
        for reason in reasons:
            problems.append(Problem(reason, field=field, item=post_id))
        if app.candidate in chosen_candidates:
            problems.append(
                Problem(
                    f"candidate {app.candidate} is already selected for post {chosen_candidates[app.candidate]}",
                    field=field,
                    item=post_id,
                )
            )
        chosen_candidates.setdefault(app.candidate, post_id)
        if not reasons:
            selections.append(Selection(call.id, call.mission, post_id, app.id, app.candidate, app.nominated_by))
    if problems:
        raise InputError(problems)
    return selections


def secondment_totals(selections: Iterable[Selection]) -> dict[str, Any]:
    """Registrar statistics: seconded personnel per contributor, per mission, and both."""
    selections = list(selections)
    by_pair = Counter((s.mission, s.contributor) for s in selections)
    return {
        "total": len(selections),
        "by_contributor": dict(sorted(Counter(s.contributor for s in selections).items())),
        "by_mission": dict(sorted(Counter(s.mission for s in selections).items())),
        "by_mission_and_contributor": [
            {"mission": m, "contributor": c, "seconded": n} for (m, c), n in sorted(by_pair.items())
        ],
    }


# --- parsing user input (API bodies) ------------------------------------------


def _date_field(data: Mapping[str, Any], key: str, problems: list[Problem]) -> dt.date | None:
    value = data.get(key)
    try:
        return to_date(value) if value is not None else None
    except ValueError:
        pass
    problems.append(
        Problem("is required (a date, YYYY-MM-DD)" if value is None else f"“{value}” is not a date", field=key)
    )
    return None


def _text_field(data: Mapping[str, Any], key: str, problems: list[Problem], *, where: str = "") -> str | None:
    value = data.get(key)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    problems.append(Problem("is required (text)", field=f"{where}{key}"))
    return None


def parse_call(data: Any, mission: str, catalogues: Catalogues | None = None) -> Call:
    """A call from ``{id, published_on, deadline, posts: [{id, job_description, location}]}``."""
    if not isinstance(data, Mapping):
        raise InputError("must be an object", field="(body)")
    problems: list[Problem] = []
    ident = _text_field(data, "id", problems)
    published_on = _date_field(data, "published_on", problems)
    deadline = _date_field(data, "deadline", problems)
    posts = []
    raw_posts = data.get("posts")
    if not isinstance(raw_posts, list):
        problems.append(Problem("is required (a list of posts)", field="posts"))
        raw_posts = []
    for i, raw in enumerate(raw_posts):
        if not isinstance(raw, Mapping):
            problems.append(Problem("must be an object", field=f"posts[{i}]"))
            continue
        post_id = _text_field(raw, "id", problems, where=f"posts[{i}].")
        jd = _text_field(raw, "job_description", problems, where=f"posts[{i}].")
        location = raw.get("location")
        if post_id and jd:
            posts.append(Post(post_id, jd, str(location) if location else None))
    if problems:
        raise InputError(problems)
    call = Call(id=ident, mission=mission, published_on=published_on, deadline=deadline, posts=tuple(posts))
    validate_call(call, catalogues)
    return call


def parse_application(data: Any, call: Call, nominated_by: str, submitted_on: dt.date) -> Application:
    """An application from ``{id, post, candidate}``; the nominating state is the caller's and
    the day of submission the server's (``submitted_on``): a client never dates its own act."""
    if not isinstance(data, Mapping):
        raise InputError("must be an object", field="(body)")
    problems: list[Problem] = []
    ident = _text_field(data, "id", problems)
    post = _text_field(data, "post", problems)
    candidate = _text_field(data, "candidate", problems)
    if data.get("submitted_on") not in (None, ""):
        problems.append(
            Problem(
                "is recorded by the service as the day it receives the application: leave it out", field="submitted_on"
            )
        )
    if post and call.post(post) is None:
        problems.append(Problem(f"call {call.id} has no post “{post}”", field="post"))
    if problems:
        raise InputError(problems)
    return Application(
        id=ident, call=call.id, post=post, candidate=candidate, nominated_by=nominated_by, submitted_on=submitted_on
    )


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
