"""Numbers as dashboards print them (`12.5 ms`, `85%`, `1.20 GiB`, `3.4 K`) to plain floats.

Grafana's "formatted data" export scales each value on its own (`950 ms`, then `1.20 s`),
so a column's values are brought to one unit when all its units belong to one family.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

_UNIT = r"[A-Za-z%\u00b5\u03bc\u00b0/][\w%/\u00b0 .-]{0,19}"
_NUMBER_WITH_UNIT = re.compile(rf"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*({_UNIT})?$")
_MISSING = frozenset({"", "null", "nan", "none", "undefined", "n/a", "na", "-"})
_INFINITE = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf,
             "+infinity": math.inf, "-infinity": -math.inf}  # fmt: skip

_MICRO = 1e-6
_TIME = {"ns": 1e-9, "\u00b5s": _MICRO, "\u03bcs": _MICRO, "us": _MICRO, "ms": 1e-3,
         "s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
         "d": 86400.0, "day": 86400.0, "days": 86400.0, "week": 604800.0,
         "weeks": 604800.0}  # fmt: skip
_BYTES = {"B": 1.0, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15,
          "KiB": 2.0**10, "MiB": 2.0**20, "GiB": 2.0**30, "TiB": 2.0**40,
          "PiB": 2.0**50}  # fmt: skip
# Grafana's "short" format: thousands, millions, billions, trillions.
_COUNT = {"": 1.0, "K": 1e3, "k": 1e3, "Mil": 1e6, "M": 1e6, "Bil": 1e9, "B": 1e9,
          "Tri": 1e12, "T": 1e12}  # fmt: skip
_FAMILIES: tuple[tuple[str, dict[str, float]], ...] = (
    ("time", _TIME),
    ("bytes", _BYTES),
    ("bytes/s", {f"{unit}/s": factor for unit, factor in _BYTES.items()}),
    ("count", _COUNT),
)


@dataclass(frozen=True, slots=True)
class Column:
    """A column's numbers in one unit (None for a missing cell), and that unit."""

    values: list[float | None]
    unit: str | None


class NotNumericError(ValueError):
    """A cell or column holds something other than numbers."""


def read_cell(cell: str) -> tuple[float, str] | None:
    """Return a cell's number and unit (`""` for none), None when missing; NotNumericError else."""
    text = cell.strip()
    lowered = text.lower()
    if lowered in _MISSING:
        return None
    if lowered in _INFINITE:
        return _INFINITE[lowered], ""
    match = _NUMBER_WITH_UNIT.match(text)
    if not match:
        raise NotNumericError(text)
    return float(match[1]), (match[2] or "").strip()


def read_column(cells: list[str], declared_unit: str | None = None) -> Column:
    """Read a column of cells; NotNumericError when a cell is text or units cannot be reconciled."""
    readings = [read_cell(cell) for cell in cells]
    units = Counter(reading[1] for reading in readings if reading is not None and reading[1])
    if not units:
        values = [None if reading is None else reading[0] for reading in readings]
        return Column(values, declared_unit or None)
    if len(units) == 1:
        values = [None if reading is None else reading[0] for reading in readings]
        return Column(values, next(iter(units)))
    for family, factors in _FAMILIES:
        if all(unit in factors for unit in units):
            return _converted(readings, family, factors, units)
    raise NotNumericError(f"mixed units {sorted(units)}")


def _converted(
    readings: list[tuple[float, str] | None],
    family: str,
    factors: dict[str, float],
    units: Counter[str],
) -> Column:
    target = "" if family == "count" else units.most_common(1)[0][0]
    scale = factors[target]
    values: list[float | None] = []
    for reading in readings:
        if reading is None:
            values.append(None)
        else:
            number, unit = reading
            values.append(number * factors[unit] / scale if unit else number)
    return Column(values, target or None)
