"""The fixed order of the phases and the steps between them (``domain.phases``)."""

from itertools import pairwise

import pytest

from domain.phases import Phase

ORDER = [
    "intake",
    "service_definition",
    "competence_mapping",
    "development",
    "evaluation",
    "closed",
]
STEPS = list(pairwise(ORDER))


def test_the_phases_run_from_intake_to_closed_in_the_documented_order():
    assert [p.value for p in Phase] == ORDER
    assert [p.position for p in Phase] == list(range(len(ORDER)))


@pytest.mark.parametrize(("earlier", "later"), STEPS)
def test_next_is_the_following_phase(earlier, later):
    assert Phase(earlier).next is Phase(later)


@pytest.mark.parametrize(("earlier", "later"), STEPS)
def test_previous_is_the_preceding_phase(earlier, later):
    assert Phase(later).previous is Phase(earlier)


def test_nothing_follows_closed():
    assert Phase.CLOSED.next is None


def test_nothing_precedes_the_intake():
    assert Phase.INTAKE.previous is None
