"""An explanation as a reader reads it: what was measured against what, without the
engine's percentages of progress or unrounded targets (those stay in its JSON and the web).

>>> from rbm.engine.rating.messages import Figure
>>> m = Message.of("rating.explain.growth_pct", actual=Figure("36,658,116"),
...     baseline=Figure("27,802,067"), target=Figure("33,362,480.4"), pct=Figure("20"),
...     growth=Figure("32%"), achievement=Figure("159%"))
>>> reading(m).text("en")
'36,658,116 against a target of 33,362,480 (+20% on 27,802,067)'
"""

from __future__ import annotations

from decimal import Decimal

from rbm.engine.rating.messages import Figure, Message, Param, number

EXPLAINED = "rating.explain."
READ = "rating.read."


def reading(detail: Message) -> Message:
    """The reader's sentence for an achievement's detail; a reason (not assessable) is
    already one."""
    if not detail.key.startswith(EXPLAINED):
        return detail
    params = dict(detail.params)
    places = _places(params.get("actual"))
    shown: dict[str, Param] = {}
    for name, value in params.items():
        if isinstance(value, tuple):
            value = tuple(reading(item) for item in value)
        elif name == "target" and isinstance(value, Figure) and places is not None:
            value = _rounded(value, places)
        shown[name] = value
    return Message(READ + detail.key.removeprefix(EXPLAINED), tuple(shown.items()))


def _places(value: Param | None) -> int | None:
    """Decimal places of a figure as the engine wrote it (a percent keeps its own)."""
    if not isinstance(value, Figure) or value.endswith("%"):
        return None
    _, _, decimals = value.partition(".")
    return len(decimals)


def _rounded(value: Figure, places: int) -> Figure:
    """A target at the precision of the actual it is compared with."""
    if value.endswith("%"):
        return value
    return number(Decimal(value.replace(",", "")), places)
