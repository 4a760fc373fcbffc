"""A minimal, independent RFC 5545 reader for the tests.

Deliberately does not use the ``icalendar`` library (which builds the feed):
it unfolds lines (3.1), splits name;params:value, unescapes TEXT (3.3.11)
and nests BEGIN/END components.
"""

from __future__ import annotations


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n"), "content lines end with CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(data: bytes) -> dict:
    """The calendar as nested dicts: {"name", "props": {NAME: [(params, value)]}, "children"}."""
    stack: list[dict] = []
    root = None
    for line in unfold(data):
        head, _, value = line.partition(":")
        name, *raw_params = head.split(";")
        params = dict(p.split("=", 1) for p in raw_params)
        name = name.upper()
        if name == "BEGIN":
            node = {"name": value.upper(), "props": {}, "children": []}
            if stack:
                stack[-1]["children"].append(node)
            stack.append(node)
        elif name == "END":
            node = stack.pop()
            assert node["name"] == value.upper(), "BEGIN/END mismatch"
            if not stack:
                root = node
        else:
            stack[-1]["props"].setdefault(name, []).append((params, unescape(value)))
    assert root is not None and not stack, "unterminated calendar"
    return root


def events(data: bytes) -> list[dict]:
    """Each VEVENT as {NAME: value} (first value of each property)."""
    cal = parse(data)
    assert cal["name"] == "VCALENDAR"
    return [
        {name: values[0][1] for name, values in child["props"].items()}
        for child in cal["children"]
        if child["name"] == "VEVENT"
    ]
