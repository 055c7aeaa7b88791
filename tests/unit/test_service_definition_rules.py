"""The rules of service definition over plain values: the gate into competence_mapping
(``definition_unmet``) and the derived coordinators (``coordinators``)."""

from uuid import uuid4

from domain.service_definition import (
    Contribution,
    ManagementFeedback,
    Service,
    coordinators,
    definition_unmet,
)

PROJECT = uuid4()


def service(name: str, deliverables=("Workplace ready",), indicators=("Days to ready",)):
    return Service(
        project_id=PROJECT,
        name=name,
        deliverables=list(deliverables),
        indicators=list(indicators),
    )


def contribution(to: Service, participant_id, name: str | None = None) -> Contribution:
    return Contribution(
        project_id=PROJECT, service_id=to.id, participant_id=participant_id, name=name
    )


def group(to: Service, size: int = 2) -> list[Contribution]:
    return [contribution(to, uuid4()) for _ in range(size)]


def open_feedback(on: Service) -> ManagementFeedback:
    return ManagementFeedback(
        project_id=PROJECT, service_id=on.id, text="Add the security training."
    )


def about(s: Service) -> dict[str, str]:
    return {"service_id": str(s.id)}


# --- the gate into competence_mapping -----------------------------------------------


def test_without_services_the_only_unmet_condition_is_to_define_one():
    (unmet,) = definition_unmet([], [], [])

    assert unmet.code == "no_services"
    assert "at least one service" in unmet.message


def test_a_complete_service_meets_the_gate():
    onboarding = service("Onboarding")

    assert definition_unmet([onboarding], group(onboarding), []) == []


def test_a_service_one_person_delivers_alone_needs_a_second_contributor():
    onboarding = service("Onboarding")

    (unmet,) = definition_unmet([onboarding], group(onboarding, size=1), [])

    assert unmet.code == "too_few_contributors"
    assert unmet.subject == about(onboarding)
    assert unmet.message == (
        "'Onboarding' has 1 contributor; no one can deliver a service alone, "
        "so it needs at least 2."
    )


def test_a_service_nobody_contributes_to_says_so():
    onboarding = service("Onboarding")

    (unmet,) = definition_unmet([onboarding], [], [])

    assert unmet.code == "too_few_contributors"
    assert unmet.message.startswith("'Onboarding' has 0 contributors")


def test_contributions_to_other_services_do_not_count():
    onboarding, advice = service("Onboarding"), service("HR advice")

    unmet = definition_unmet([onboarding, advice], group(advice, size=4), [])

    assert [(u.code, u.subject) for u in unmet] == [("too_few_contributors", about(onboarding))]


def test_a_service_without_deliverables_asks_what_the_client_receives():
    onboarding = service("Onboarding", deliverables=())

    (unmet,) = definition_unmet([onboarding], group(onboarding), [])

    assert unmet.code == "no_deliverables"
    assert unmet.subject == about(onboarding)
    assert unmet.message == "'Onboarding' names no deliverable: what does the client receive?"


def test_a_service_without_indicators_asks_what_the_client_looks_at():
    onboarding = service("Onboarding", indicators=())

    (unmet,) = definition_unmet([onboarding], group(onboarding), [])

    assert unmet.code == "no_indicators"
    assert unmet.subject == about(onboarding)
    assert unmet.message == (
        "'Onboarding' names no indicator: what does the client look at to judge it?"
    )


def test_open_mt_feedback_waits_for_the_service_groups_response():
    onboarding = service("Onboarding")
    waiting = [open_feedback(onboarding), open_feedback(onboarding)]

    (unmet,) = definition_unmet([onboarding], group(onboarding), waiting)

    assert unmet.code == "feedback_open"
    assert unmet.subject == about(onboarding)
    assert unmet.message == (
        "2 MT feedback items on 'Onboarding' still wait for the service group's response."
    )


def test_open_feedback_on_one_service_does_not_hold_back_another():
    onboarding, advice = service("Onboarding"), service("HR advice")

    unmet = definition_unmet(
        [onboarding, advice], group(onboarding) + group(advice), [open_feedback(advice)]
    )

    assert [(u.code, u.subject) for u in unmet] == [("feedback_open", about(advice))]


def test_every_unmet_condition_of_every_service_is_listed():
    bare = service("Onboarding", deliverables=(), indicators=())
    advice = service("HR advice", indicators=())

    unmet = definition_unmet([bare, advice], group(advice, size=1), [open_feedback(bare)])

    assert [(u.code, u.subject) for u in unmet] == [
        ("too_few_contributors", about(bare)),
        ("no_deliverables", about(bare)),
        ("no_indicators", about(bare)),
        ("feedback_open", about(bare)),
        ("too_few_contributors", about(advice)),
        ("no_indicators", about(advice)),
    ]


# --- coordinators -------------------------------------------------------------------


def test_a_participant_in_two_services_coordinates_them():
    onboarding, advice = service("Onboarding"), service("HR advice")
    carla = uuid4()
    contributions = [
        contribution(onboarding, carla, "Carla"),
        contribution(onboarding, uuid4()),
        contribution(advice, carla, "Carla"),
        contribution(advice, uuid4()),
    ]

    (coordinator,) = coordinators(contributions, [onboarding, advice])

    assert (coordinator.participant_id, coordinator.name) == (carla, "Carla")
    assert coordinator.services == [onboarding, advice]


def test_a_participant_in_three_services_coordinates_all_three():
    services = [service("Onboarding"), service("HR advice"), service("Payroll")]
    anna = uuid4()

    (coordinator,) = coordinators([contribution(s, anna) for s in services], services)

    assert coordinator.services == services


def test_nobody_coordinates_when_everyone_contributes_once():
    onboarding, advice = service("Onboarding"), service("HR advice")

    assert coordinators(group(onboarding) + group(advice), [onboarding, advice]) == []


def test_every_participant_in_two_or_more_services_is_a_coordinator():
    onboarding, advice = service("Onboarding"), service("HR advice")
    anna, bram = uuid4(), uuid4()
    contributions = [contribution(s, p) for s in (onboarding, advice) for p in (anna, bram)]

    found = coordinators(contributions, [onboarding, advice])

    assert sorted(c.participant_id for c in found) == sorted([anna, bram])


def test_an_erased_contributor_coordinates_without_a_name():
    onboarding, advice = service("Onboarding"), service("HR advice")
    erased = uuid4()

    (coordinator,) = coordinators(
        [contribution(onboarding, erased, None), contribution(advice, erased, None)],
        [onboarding, advice],
    )

    assert (coordinator.participant_id, coordinator.name) == (erased, None)
