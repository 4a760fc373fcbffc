"""At 320 px (a small phone, or 1280 px zoomed to 400%) no page scrolls sideways (WCAG 1.4.10 reflow).

Chromium lays each page type out at 320 px wide; the document must be no wider
than the window. Long words (a 300-character title with no space) wrap.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRONT_PAGES = ["/safe/", "/mobility/", "/missions/"]


@pytest.fixture
def narrow_page(page, login, make_user):
    from accord.commitments.reference import load_safe_allocations, load_spending_figures
    from accord.dialogue import services as dialogue
    from accord.dialogue.reference import load_reference
    from accord.missions.reference import load_missions

    load_spending_figures()
    load_safe_allocations()
    load_reference()
    load_missions()
    editor = make_user("GB", "viewer", "editor", "administrator", username="gb-narrow")
    meeting = dialogue.create_meeting(
        editor,
        {
            # A title with a very long word: it must wrap, not widen the page.
            "title": "Working group " + "Lammy-Kallas-" * 12 + "consultation",
            "date": "2026-02-10",
            "working_group": "russia-ukraine",
            "agenda": [{"area": "sanctions-shadow-fleet", "title": "x" * 150}],
            "actions": [
                {"description": "Exchange vessel lists " + "y" * 150, "owner_party": "GB", "due": "2026-03-01"}
            ],
        },
    )
    dialogue.create_invitation(
        make_user("COUNCIL", "editor"),
        {
            "body": "schuman-forum",
            "meeting_title": "Schuman Forum 2099",
            "date": "2099-06-01",
            "invitee_party": "GB",
        },
    )
    page.set_viewport_size({"width": 320, "height": 640})
    login(editor)
    page.meeting_id = meeting.pk
    return page


MINE = [
    "/",
    "/parties/",
    "/parties/GB/",
    "/frameworks/NATO/",
    "/commitments/",
    "/commitments/?on=2000-01-01",
    "/commitments/allocations/",
    "/commitments/groupings/",
    "/dialogue/",
    "/dialogue/meetings/new/",
    "/dialogue/meetings/{meeting}/",
    "/dialogue/invitations/",
    "/dialogue/exercises/",
    "/dialogue/actions/overdue/",
    "/dialogue/calendar/",
    "/audit/",
    "/dialogue/meetings/",
    "/dialogue/actions/",
    "/commitments/figures/",
    "/admin/",
    "/admin/auth/user/",
    "/dialogue/invitations/new/",
    "/account/notifications/",
    "/mobility/movements/all/",
]


def overflow(page, url: str) -> list[str]:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= 320:
        return []
    culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 321)
        .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    return [f"{url} is {width} px wide: {culprits}"]


def test_no_page_of_the_service_scrolls_sideways_at_320_px(narrow_page):
    problems = []
    for url in MINE:
        problems += overflow(narrow_page, url.format(meeting=narrow_page.meeting_id))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("url", list(FRONT_PAGES))
def test_the_front_pages_of_procurement_mobility_and_missions_do_not_scroll_sideways_at_320_px(narrow_page, url):
    assert not overflow(narrow_page, url)


def test_the_check_your_answers_journey_does_not_scroll_sideways_at_320_px(page, login, make_user):
    """The form, "Check your answers" and the confirmation, walked through at 320 px."""
    from accord.dialogue.reference import load_reference

    load_reference()
    page.set_viewport_size({"width": 320, "height": 640})
    login(make_user("EEAS", "editor", username="eeas-narrow"))
    problems = overflow(page, "/dialogue/invitations/new/")
    page.check("label:has-text('Political and Security Committee')")
    page.fill("#meeting_title", "PSC " + "Western-Balkans-" * 10 + "review")
    page.fill("#date-day", "10")
    page.fill("#date-month", "3")
    page.fill("#date-year", "2027")
    page.fill("#invitee_party", "UK")
    page.locator("#invitee_party__listbox li", has_text="United Kingdom (GB)").first.click()
    page.click("#continue")
    page.wait_for_selector("h1:has-text('Check your answers')")
    problems += overflow(page, "/dialogue/invitations/new/check/")
    page.click("#send")
    page.wait_for_selector(".govuk-panel--confirmation")
    problems += overflow(page, page.url)
    assert not problems, "\n".join(problems)
