"""Pure rules of the dialogue capability (no Django).

- ``cadence``: the six-monthly strategic consultation cycle (SDP, M4).
- ``reference``: areas of common interest, working groups, meeting bodies and
  the exercise calendar, read from versioned data files with a source each.
- ``actions``: meeting actions and the overdue-actions report.
- ``invitations``: invited -> accepted / declined -> attended (SDP, M5).
- ``exercises``: exercise participation offers and their acceptance (M3).
- ``ical``: an RFC 5545 calendar built with the ``icalendar`` library.

Nothing here reads today's date: every rule takes the date as an argument.
"""
