"""Two officials record the same first figure at once: one insert, then updates,
never a failed write (the unique constraint one figure per state, year and measure)."""

import threading

import pytest
from django.db import connections

from accord.commitments import services
from accord.commitments.models import SpendingFigure

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_figures_for_one_year_are_all_stored_as_one(make_user):
    users = [make_user("EE", "editor") for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    failures: list[str] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            services.record_figure(
                users[number],
                {
                    "state": "EE",
                    "year": 2031,
                    "measure": "defence",
                    "percent_gdp": 3 + number / 10,
                    "source_title": f"Estonian Ministry of Defence, budget note {number}",
                    "source_href": "https://www.kaitseministeerium.ee/en",
                    "confidence": "quoted",
                },
            )
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            failures.append(f"writer {number}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, "\n".join(failures)
    assert SpendingFigure.objects.filter(state__code="EE", year=2031, measure="defence").count() == 1
