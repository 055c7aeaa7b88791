"""What the client looks at to judge a service (its indicators), measured over time, so
the team can show whether its services got better.

A service keeps its indicators as a list of text. Each one's identity is derived from
the service and its text, so it is addressable without being stored twice: renaming an
indicator makes it another one (its measurements stay with the old text, and come back
if the text does).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from domain.base import Entity
from domain.service_definition import Service


def indicator_id(service_id: UUID, text: str) -> UUID:
    """The indicator's id: the same for the same service and text, everywhere."""
    return uuid5(service_id, text)


@dataclass(kw_only=True, eq=False)
class Measurement(Entity):
    """One value an indicator had on a day, and where it comes from (a survey, a report)."""

    project_id: UUID
    service_id: UUID
    indicator: str
    value: float
    date: date
    source: str = ""

    @property
    def indicator_id(self) -> UUID:
        return indicator_id(self.service_id, self.indicator)


class Trend(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass(frozen=True)
class Indicator:
    """An indicator of a service with its latest measurement and which way it went since
    the one before (``None`` until there are two)."""

    id: UUID
    service_id: UUID
    name: str
    measurements: int
    first: Measurement | None
    latest: Measurement | None
    change: float | None
    trend: Trend | None


def _in_time_order(measurements: Iterable[Measurement]) -> list[Measurement]:
    return sorted(measurements, key=lambda m: (m.date, m.created_at, str(m.id)))


def indicators_of(service: Service, measurements: Iterable[Measurement]) -> list[Indicator]:
    """The service's indicators in its order, each once, with what was measured of it."""
    measured: dict[str, list[Measurement]] = defaultdict(list)
    for m in _in_time_order(measurements):
        if m.service_id == service.id:
            measured[m.indicator].append(m)
    result = []
    for name in dict.fromkeys(service.indicators):
        series = measured.get(name, [])
        latest = series[-1] if series else None
        change = round(series[-1].value - series[-2].value, 6) if len(series) > 1 else None
        trend = None if change is None else _trend(change)
        first = series[0] if series else None
        result.append(
            Indicator(
                indicator_id(service.id, name),
                service.id,
                name,
                len(series),
                first,
                latest,
                change,
                trend,
            )
        )
    return result


def _trend(change: float) -> Trend:
    return Trend.FLAT if change == 0 else Trend.UP if change > 0 else Trend.DOWN


def find_indicator(service: Service, wanted: UUID) -> str | None:
    """The text of the service's indicator with this id, if it has one."""
    return next((t for t in service.indicators if indicator_id(service.id, t) == wanted), None)
