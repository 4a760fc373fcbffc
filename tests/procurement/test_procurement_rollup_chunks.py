"""The rollup sums a chunk of lines at a time (small temporaries, a lower peak): the sums are
exact and the same whatever the chunk size, across currencies, and an origin costing zero is
still listed."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from accord.procurement.engine import bom_from_records, idmap, rollup
from accord.procurement.engine.rollup import roll_up


def _bom(seed: int, items: int = 3000) -> list[dict]:
    rng = random.Random(seed)
    lines = [{"id": "END", "parent": None, "quantity": 1}]
    for i in range(1, items):
        parent = "END" if i < 20 else f"P{rng.randrange(1, i)}"
        line = {"id": f"P{i}", "parent": parent, "quantity": rng.randint(0, 4)}
        if rng.random() < 0.6:
            line.update(
                purchased=True,
                unit_cost=str(Fraction(rng.randint(0, 10**7), 100) if rng.random() < 0.95 else 0),
                currency=rng.choice(["EUR", "GBP", "SEK", None]),
                origin=rng.choice(["PL", "GB", "US", "SE", None]),
            )
        lines.append(line)
    lines.append({"id": "FREE", "parent": "END", "quantity": 3, "purchased": True, "unit_cost": "0", "origin": "NO"})
    rng.shuffle(lines)
    return [{k: (float(Fraction(v)) if k == "unit_cost" else v) for k, v in line.items()} for line in lines]


def _reference(lines: list[dict]) -> dict[tuple[str | None, str], Fraction]:
    """The definition, one item at a time, in exact fractions."""
    by_id = {line["id"]: line for line in lines}
    children: dict[str, list[dict]] = {}
    for line in lines:
        if line["parent"] is not None:
            children.setdefault(line["parent"], []).append(line)
    out: dict[tuple[str | None, str], Fraction] = {}
    stack = [(by_id["END"], Fraction(1))]
    while stack:
        line, above = stack.pop()
        units = above * line["quantity"]
        if line.get("purchased"):
            key = (line.get("origin"), line.get("currency") or "EUR")
            out[key] = out.get(key, Fraction(0)) + units * Fraction(str(line["unit_cost"]))
            continue
        stack.extend((child, units) for child in children.get(line["id"], []))
    return out


@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_the_chunked_sums_are_exact_whatever_the_chunk_size(monkeypatch, chunk):
    monkeypatch.setattr(rollup, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(idmap, "CONFIRM_ROWS", chunk)
    lines = _bom(seed=chunk)
    amounts = roll_up(bom_from_records(lines)).amounts
    assert amounts == _reference(lines)
    assert amounts[("NO", "EUR")] == 0  # listed, at zero
