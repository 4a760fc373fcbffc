"""Every page, for every kind of user, for any query value: never a server error,
never developer text.

A crawl with Django's test client (no browser: fast) as users of several
parties and roles. From the home page and the front page of every capability
it follows every link under the capability, then asks every page found again
with each date (1949 to 2100, and malformed ones) in every field of the page's
GET forms (``on=`` and the others). It fails on any 5xx and on text meant for
developers in what the page shows: the internal brief, confidence codes like "[S]",
``null``, raw enum values, ISO timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.developer_text import INTERNAL_BRIEF
from tests.mobility.network_builder import future_departure

pytestmark = pytest.mark.django_db

DATES = [
    "1949-01-01",
    "2000-01-01",
    "2023-06-30",
    "2024-05-01",
    "2025-05-28",
    "2025-05-29",
    dt.date.today().isoformat(),
    "2100-12-31",
]
MALFORMED = ["", "abc", "2024-02-30", "0001-01-01", "9999-12-31", "1" * 3000, "2024-01-01\x00", "ünïcödé 🛡"]

# What users must never read: internal file names, codes and formats.
DEVELOPER_TEXT = {
    "the internal brief": re.compile(re.escape(INTERNAL_BRIEF)),
    "a confidence code": re.compile(r"\[(S|P|I|C)\]"),
    "null": re.compile(r"\bnull\b"),
    "None": re.compile(r"\bNone\b(?!\s+[a-z])"),  # "None recorded yet" is English
    "a raw enum value": re.compile(r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b"),
    "an ISO timestamp": re.compile(r"\d{4}-\d\d-\d\dT\d\d"),
    "an ISO date": re.compile(r"(?<![\w=/-])\d{4}-\d\d-\d\d(?![\w/-])"),
    "an instruction for developers": re.compile(r"Change it here|accord setup|\.ya?ml\b"),
    "a Python repr": re.compile(r"'[^']*' is not a date|\{'|\['"),
}

CAPABILITIES = {
    "web": [
        "/",
        "/parties/",
        "/parties/GB/",
        "/parties/?kind=state",
        "/frameworks/NATO/",
        "/sign-in/",
        "/account/notifications/",
    ],
    "commitments": ["/commitments/", "/commitments/allocations/", "/commitments/groupings/"],
    "dialogue": ["/dialogue/", "/dialogue/invitations/new/", "/dialogue/exercises/new/"],
    "safe": ["/safe/"],
    "mobility": ["/mobility/", "/mobility/movements/all/"],
    "missions": ["/missions/"],
    "admin": ["/admin/", "/audit/"],
    "background": ["/jobs/"],
}


NOT_FOLLOWED = ("/sign-out/", "/api/", "/static/", "/admin/logout/", "/admin/jsi18n/")
MAX_PAGES = 60  # per user and capability: enough to reach every page type
MAX_PER_TYPE = 4  # pages of one pattern (parties/<code>/ ...) visited: the others are the same template


class _Page(HTMLParser):
    """The visible text, the links and the GET forms' field names of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.get_fields: set[str] = set()
        self._skip = 0
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "template", "code"):  # code: names to type (file columns)
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._in_get_form = (a.get("method") or "get").lower() == "get"
        elif (
            tag in ("input", "select", "textarea")
            and self._in_get_form
            and a.get("name")
            and a.get("type") not in ("submit", "hidden", "button")
        ):
            self.get_fields.add(a["name"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1
        elif tag == "form":
            self._in_get_form = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def developer_text(text: str) -> list[str]:
    found = []
    for name, pattern in DEVELOPER_TEXT.items():
        match = pattern.search(text)
        if match:
            start = max(match.start() - 40, 0)
            found.append(f"{name}: …{text[start : match.end() + 40]!r}…")
    return found


@pytest.fixture
def crawl_data(make_user):
    """Reference data of every capability, and records to reach: a meeting with an
    overdue action, an invitation, a movement, as the demo has them."""
    from accord.commitments.reference import load_safe_allocations, load_spending_figures
    from accord.dialogue import services as dialogue
    from accord.dialogue.reference import load_reference
    from accord.missions.reference import load_missions

    load_spending_figures()
    load_safe_allocations()
    load_reference()
    load_missions()
    gb_editor = make_user("GB", "viewer", "editor", "approver")
    dialogue.create_meeting(
        gb_editor,
        {
            "title": "Russia/Ukraine working group",
            "date": "2026-02-10",
            "working_group": "russia-ukraine",
            "agenda": [{"area": "sanctions-shadow-fleet", "title": "Shadow fleet listings"}],
            "actions": [{"description": "Exchange vessel lists", "owner_party": "GB", "due": "2026-03-01"}],
        },
    )
    from accord.mobility import services as mobility

    mobility.create_movement(
        make_user("DE", "editor"),
        {  # crosses Poland into Lithuania
            "origin": "bergen_hohne",
            "destination": "rukla",
            "depart": future_departure(),
            "vehicles": "Leopard 2A7:14",
            "title": "Leopards to Rukla",
        },
    )
    council = make_user("COUNCIL", "editor")
    invitation = dialogue.create_invitation(
        council,
        {
            "body": "schuman-forum",
            "meeting_title": "Schuman Forum 2026",
            "date": "2099-06-01",
            "invitee_party": "GB",
        },
    )
    from accord.dialogue.models import Exercise

    return {
        # Pages reached from a form, not a link: the confirmations after creating a record.
        "seeds": {
            "dialogue": [
                f"/dialogue/invitations/{invitation.pk}/sent/",
                f"/dialogue/exercises/{Exercise.objects.order_by('code').first().code}/recorded/",
            ]
        },
        "a UK editor": gb_editor,
        "a French viewer": make_user("FR", "viewer"),
        "an EEAS user": make_user("EEAS", "viewer", "editor", "approver"),
        "an administrator": make_user("COM", "viewer", "administrator"),
        "a Polish approver": make_user("PL", "viewer", "approver"),  # the movement crosses Poland
        "anonymous": None,
    }


def _local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NOT_FOLLOWED) or parts.path.endswith(".ics"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _variants(url: str, fields: set[str]) -> list[str]:
    """The page again with each date and malformed value in each GET field (``on`` always)."""
    path, _, query = url.partition("?")
    base = dict(parse_qsl(query, keep_blank_values=True))
    out = []
    for field in sorted(fields | {"on"}):
        for value in DATES + MALFORMED:
            out.append(f"{path}?{urlencode({**base, field: value})}")
    return out


def _page_type(url: str) -> str:
    """The URL pattern of a page (``parties/<str:code>/``): dates are tried once per pattern."""
    try:
        return resolve(url.partition("?")[0]).route
    except Resolver404:
        return url


def crawl(client: Client, seeds: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """Every problem met: 5xx answers and developer text, one line each."""
    problems: list[str] = []
    seen: set[str] = set()
    varied: set[str] = set()
    per_type: dict[str, int] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        kind = _page_type(url)
        if url in seen or per_type.get(kind, 0) >= MAX_PER_TYPE:
            continue
        seen.add(url)
        per_type[kind] = per_type.get(kind, 0) + 1
        page = _check(client, url, problems)
        if page is None:
            continue
        for href in page.links:
            local = _local(href)
            if local and local.startswith(prefixes) and local not in seen:
                queue.append(local)
        if kind not in varied:  # every date in every field, once per page type
            varied.add(kind)
            for variant in _variants(url, page.get_fields):
                _check(client, variant, problems, follow_links=False)
    return problems


def _check(client: Client, url: str, problems: list[str], follow_links: bool = True) -> _Page | None:
    response = client.get(url)
    if response.status_code >= 500:
        problems.append(f"{url[:120]!r} answered {response.status_code}")
        return None
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    page = _parse(response.content.decode())
    text = re.sub(r"https?://\S+", "", " ".join(" ".join(page.text).split()))  # a URL shown as a link is fine
    for _, typed in parse_qsl(urlsplit(url).query):
        if len(typed) > 2:
            text = text.replace(" ".join(typed.replace("\x00", "").split()), "")  # what the user typed is theirs
    for found in developer_text(text):
        problems.append(f"{url[:120]!r} shows {found}")
    return page


USERS = ["a UK editor", "a French viewer", "an EEAS user", "an administrator", "a Polish approver", "anonymous"]


PARAMS = [pytest.param(capability, id=capability) for capability in CAPABILITIES]


@pytest.mark.parametrize("capability", PARAMS)
def test_no_page_fails_or_shows_developer_text_for_any_user_or_query_value(capability, crawl_data):
    prefixes = tuple(
        {"/" + seed.strip("/").split("/")[0] + "/" if seed != "/" else "/" for seed in CAPABILITIES[capability]}
    )
    if capability == "web":
        prefixes = ("/parties/", "/frameworks/", "/sign-in/", "/account/")
    problems = []
    for name in USERS:
        client = Client(raise_request_exception=False)
        if crawl_data[name] is not None:
            client.force_login(crawl_data[name])
        seeds = (["/"] if capability == "web" else []) + CAPABILITIES[capability]
        seeds += crawl_data["seeds"].get(capability, [])
        problems += [f"as {name}: {p}" for p in crawl(client, seeds, prefixes)]
    # One line per page pattern and kind of problem: the first URL that shows it.
    first: dict[tuple, str] = {}
    for problem in problems:
        url, _, finding = problem.partition(" shows ")
        key = (_page_type(url.split(": ", 1)[1].strip("'")), finding.split(":")[0] or problem)
        first.setdefault(key, problem)
    assert not first, f"{len(problems)} problems, {len(first)} kinds:\n" + "\n".join(first.values())
