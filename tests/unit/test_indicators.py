"""Indicators over time (``domain.indicators``): identity, latest value and trend."""

from datetime import date
from uuid import uuid4

from domain.indicators import Measurement, Trend, find_indicator, indicator_id, indicators_of
from domain.service_definition import Service

PROJECT = uuid4()


def service(*indicators: str) -> Service:
    return Service(project_id=PROJECT, name="Onboarding", indicators=list(indicators))


def measured(svc: Service, name: str, value: float, day: int) -> Measurement:
    return Measurement(
        project_id=PROJECT, service_id=svc.id, indicator=name, value=value, date=date(2026, 1, day)
    )


def test_an_indicators_id_follows_from_its_service_and_text():
    onboarding, other = service("Satisfaction"), service("Satisfaction")

    assert indicator_id(onboarding.id, "Satisfaction") == indicator_id(
        onboarding.id, "Satisfaction"
    )
    assert indicator_id(onboarding.id, "Satisfaction") != indicator_id(other.id, "Satisfaction")
    assert find_indicator(onboarding, indicator_id(onboarding.id, "Satisfaction")) == "Satisfaction"
    assert find_indicator(onboarding, indicator_id(other.id, "Satisfaction")) is None


def test_the_latest_is_the_last_by_date_and_the_trend_compares_it_with_the_one_before():
    svc = service("Days", "Satisfaction")
    series = [
        measured(svc, "Days", 12, 20),
        measured(svc, "Days", 9, 3),
        measured(svc, "Days", 9, 10),
    ]

    days, satisfaction = indicators_of(svc, series)

    assert days.latest is series[0]
    assert days.first is series[1]
    assert (days.change, days.trend, days.measurements) == (3, Trend.UP, 3)
    assert (satisfaction.latest, satisfaction.trend) == (None, None)


def test_an_unchanged_value_is_flat_and_one_value_has_no_trend():
    svc = service("Days")

    (flat,) = indicators_of(svc, [measured(svc, "Days", 5, 1), measured(svc, "Days", 5, 2)])
    (single,) = indicators_of(svc, [measured(svc, "Days", 5, 1)])

    assert flat.trend is Trend.FLAT
    assert (single.change, single.trend) == (None, None)


def test_measurements_of_a_text_no_longer_listed_are_not_shown():
    svc = service("Complaints")

    shown = indicators_of(svc, [measured(svc, "Satisfaction", 4, 1)])

    assert [(i.name, i.measurements) for i in shown] == [("Complaints", 0)]
