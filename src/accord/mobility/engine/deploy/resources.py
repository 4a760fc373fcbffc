"""Timelines of shared resources, in whole minutes from the plan's epoch (UTC).

- ``Space``: road space on one edge in one direction, or one ship or train:
  reservations never overlap.
- ``DayLoad``: throughput a day at a node (ro-ro calls, trains, vehicles
  crossing, columns). An event at ``t`` counts against every 25-hour window
  that holds it; at most ``cap`` in any such window guarantees at most ``cap``
  on every local calendar day, including the 25-hour day when clocks go back.
- ``Fleet``: transporters held at once (a cumulative resource).
"""

from __future__ import annotations

from bisect import bisect_left, insort

DAY_WINDOW = 25 * 60


class Space:
    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def clash(self, start: int, end: int) -> int | None:
        """The end of the reservation that overlaps [start, end), if any (the latest such)."""
        i = bisect_left(self.starts, end) - 1
        # Reservations are disjoint and sorted, so the last one starting before ``end`` ends last.
        return self.ends[i] if i >= 0 and self.ends[i] > start else None

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


class DayLoad:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.events: list[tuple[int, int]] = []  # (time, demand), sorted

    def _load_over(self, t: int, demand: int) -> bool:
        lo = bisect_left(self.events, (t - DAY_WINDOW + 1, -1))
        hi = bisect_left(self.events, (t + DAY_WINDOW, -1))
        near = self.events[lo:hi]
        for x in [t] + [e for e, _ in near if e > t]:
            load = sum(d for e, d in near if x - DAY_WINDOW < e <= x) + (demand if x >= t else 0)
            if load > self.cap:
                return True
        return False

    def earliest(self, t: int, demand: int) -> int | None:
        """The first time from ``t`` when an event of ``demand`` fits; None if it never can."""
        if demand > self.cap:
            return None
        for _ in range(10_000):
            if not self._load_over(t, demand):
                return t
            lo = bisect_left(self.events, (t - DAY_WINDOW + 1, -1))
            expiries = [e + DAY_WINDOW for e, _ in self.events[lo:] if e + DAY_WINDOW > t]
            t = min(expiries)
        return None

    def add(self, t: int, demand: int) -> None:
        insort(self.events, (t, demand))


class Fleet:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.held: list[tuple[int, int, int]] = []  # (start, end, number)

    def earliest(self, start: int, end: int, number: int) -> int | None:
        """The least delay (minutes) after which [start, end) can hold ``number`` more; None if never."""
        if number > self.cap:
            return None
        delay = 0
        for _ in range(10_000):
            s, e = start + delay, end + delay
            overlapping = [(a, b, n) for a, b, n in self.held if a < e and b > s]
            points = [s] + [a for a, _, _ in overlapping if a > s]
            if all(sum(n for a, b, n in overlapping if a <= p < b) + number <= self.cap for p in points):
                return delay
            delay = min(b for _, b, _ in overlapping if b > s) - start
        return None

    def add(self, start: int, end: int, number: int) -> None:
        self.held.append((start, end, number))
