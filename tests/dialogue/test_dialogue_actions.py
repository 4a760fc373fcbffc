"""Meeting actions, the overdue-actions report and agendas by area of common interest."""

import datetime as dt

import pytest

from accord.dialogue.engine.meetings import (
    Action,
    AgendaItem,
    agenda_by_area,
    is_overdue,
    overdue_report,
    parse_action,
    validate_agenda,
)
from accord.dialogue.engine.reference import area_codes, areas
from accord.errors import InputError

D = dt.date


MARCH_1 = D(2026, 3, 1)


def action(ref="a1", due=MARCH_1, status="open", owner="GB"):
    return Action(ref=ref, description="Share assessment", owner_party=owner, due=due, status=status)


def test_an_open_action_is_overdue_the_day_after_its_due_date():
    assert is_overdue(action(due=D(2026, 3, 1)), on=D(2026, 3, 2))


def test_an_open_action_is_not_overdue_on_its_due_date():
    assert not is_overdue(action(due=D(2026, 3, 1)), on=D(2026, 3, 1))


def test_an_action_in_progress_past_its_due_date_is_overdue():
    assert is_overdue(action(status="in_progress"), on=D(2026, 4, 1))


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_a_closed_action_is_never_overdue(status):
    assert not is_overdue(action(status=status), on=D(2030, 1, 1))


def test_the_overdue_report_lists_only_late_actions_longest_overdue_first_with_days_late():
    pairs = [
        ("Consultation 1", action("a", due=D(2026, 3, 1))),
        ("Consultation 1", action("b", due=D(2026, 1, 15), owner="EU")),
        ("WG Western Balkans", action("c", due=D(2026, 3, 10))),  # due on the report date
        ("WG Hybrid threats", action("d", due=D(2026, 1, 1), status="done")),
    ]
    report = overdue_report(pairs, on=D(2026, 3, 10))
    assert [(o.action.ref, o.days_overdue, o.meeting) for o in report] == [
        ("b", 54, "Consultation 1"),
        ("a", 9, "Consultation 1"),
    ]


def test_an_action_without_description_owner_or_due_date_is_refused_naming_each_field():
    with pytest.raises(InputError) as err:
        parse_action({"status": "waiting"}, item="action-3")
    problems = err.value.problems
    assert sorted(p.field for p in problems) == ["description", "due", "owner_party", "status"]
    assert {p.item for p in problems} == {"action-3"}


def test_an_action_owned_by_an_unknown_party_is_refused():
    with pytest.raises(InputError) as err:
        parse_action({"description": "x", "owner_party": "XX", "due": "2026-01-01"}, item="a", parties={"GB", "EU"})
    assert err.value.problems[0].field == "owner_party"


def test_a_valid_action_is_read_with_its_iso_due_date():
    parsed = parse_action(
        {"description": "Brief PSC", "owner_party": "EU", "due": "2026-02-28"}, item="a", parties={"GB", "EU"}
    )
    assert (parsed.owner_party, parsed.due, parsed.status) == ("EU", D(2026, 2, 28), "open")


def test_an_impossible_due_date_is_refused():
    with pytest.raises(InputError) as err:
        parse_action({"description": "x", "owner_party": "GB", "due": "2026-02-30"}, item="a")
    assert err.value.problems[0].field == "due"


def test_the_areas_of_common_interest_include_those_the_partnership_names():
    # docs/law/uk-eu-sdp.md#strategic-consultations: "Russia, the Western Balkans and East Asia".
    assert {"russia", "western-balkans", "east-asia"} <= area_codes()
    assert all(a.source.title for a in areas())


def test_an_agenda_item_outside_the_areas_of_common_interest_is_refused():
    with pytest.raises(InputError) as err:
        validate_agenda([{"area": "russia", "title": "Sanctions"}, {"area": "weather", "title": ""}], area_codes())
    assert sorted(p.field for p in err.value.problems) == ["agenda[1].area", "agenda[1].title"]


def test_the_agenda_is_grouped_by_area_in_catalogue_order():
    items = [
        AgendaItem("western-balkans", "Kosovo-Serbia dialogue"),
        AgendaItem("russia", "Shadow fleet"),
        AgendaItem("western-balkans", "EUFOR Althea"),
    ]
    grouped = agenda_by_area(items, [a.code for a in areas()])
    assert [(area, [i.title for i in its]) for area, its in grouped] == [
        ("russia", ["Shadow fleet"]),
        ("western-balkans", ["Kosovo-Serbia dialogue", "EUFOR Althea"]),
    ]
