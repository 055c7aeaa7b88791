"""How a development agreement may move: proposed → agreed → in_progress → achieved or
abandoned, and no further (``Agreement.move_to``)."""

from datetime import date
from uuid import uuid4

import pytest

from domain.development import Agreement, AgreementStatus
from domain.errors import RuleViolation

S = AgreementStatus
LEGAL = {
    (S.PROPOSED, S.AGREED),
    (S.AGREED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.ACHIEVED),
    (S.IN_PROGRESS, S.ABANDONED),
}
ILLEGAL = sorted(
    (old, new)
    for old in S
    if old not in (S.ACHIEVED, S.ABANDONED)  # final states: see their own test
    for new in S
    if old is not new and (old, new) not in LEGAL
)


def agreement(status: AgreementStatus) -> Agreement:
    return Agreement(
        project_id=uuid4(),
        participant_id=uuid4(),
        competence_id=uuid4(),
        start_level=1,
        target_level=3,
        coach_id=uuid4(),
        due_date=date(2027, 6, 30),
        status=status,
    )


@pytest.mark.parametrize(("old", "new"), sorted(LEGAL))
def test_an_agreement_moves_one_step_along_its_path(old, new):
    agreement(old).move_to(new)  # no refusal


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_every_other_move_is_refused_on_the_status_field(old, new):
    with pytest.raises(RuleViolation) as refused:
        agreement(old).move_to(new)

    [violation] = refused.value.violations
    assert (violation.field, violation.code) == ("status", "invalid_move")


@pytest.mark.parametrize(
    ("final", "new"), [(f, n) for f in (S.ACHIEVED, S.ABANDONED) for n in S if n is not f]
)
def test_a_finished_agreement_refuses_every_other_status(final, new):
    with pytest.raises(RuleViolation):
        agreement(final).move_to(new)


@pytest.mark.parametrize("final", [S.ACHIEVED, S.ABANDONED])
def test_a_finished_agreement_is_no_longer_open(final):
    assert not agreement(final).open


@pytest.mark.parametrize("status", list(S))
def test_staying_in_the_same_status_is_no_move(status):
    agreement(status).move_to(status)  # no refusal: a repeated PATCH is harmless


def test_a_refusal_names_the_moves_that_are_allowed():
    with pytest.raises(RuleViolation) as refused:
        agreement(S.PROPOSED).move_to(S.ACHIEVED)

    assert "agreed" in refused.value.violations[0].message


def test_a_refusal_of_a_finished_agreement_says_it_is_final():
    with pytest.raises(RuleViolation) as refused:
        agreement(S.ABANDONED).move_to(S.IN_PROGRESS)

    assert "final" in refused.value.violations[0].message


def test_an_open_agreement_past_its_due_date_is_overdue():
    late = agreement(S.IN_PROGRESS)

    assert late.overdue(date(2027, 7, 1))
    assert not late.overdue(date(2027, 6, 30))


def test_a_finished_agreement_is_never_overdue():
    assert not agreement(S.ACHIEVED).overdue(date(2030, 1, 1))
