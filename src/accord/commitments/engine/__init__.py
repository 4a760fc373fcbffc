"""Commitments engine: pure Python, imports no Django.

- ``spending``: defence spending figures (% of GDP) with a source per figure;
- ``targets``: spending targets read from dated parameters;
- ``status``: met / on track / behind / unknown per state and target;
- ``safe_allocations``: SAFE allocations and the Art. 13 concentration check;
- ``groupings``: JEF, E5, coalition of the willing (from ``accord.parties``)
  and bilateral treaties, with dated membership.

Every function takes the assessment date as an argument: nothing here reads
today's date.
"""
