"""The round of the table (seed 000): at a later meeting every attendee answers "what did
you do to realise the commitments?". Pure domain, over plain dataclasses."""

from datetime import date
from uuid import uuid4

from domain.meetings import (
    ActionReport,
    Attendee,
    Commitment,
    Meeting,
    MeetingKind,
    on_the_table,
    round_of_the_table,
)

PROJECT = uuid4()
ANNA, BRAM, CARLA = uuid4(), uuid4(), uuid4()


def meeting(day: int, *attendees, kind=MeetingKind.JOINT) -> Meeting:
    return Meeting(
        project_id=PROJECT,
        kind=kind,
        date=date(2014, 3, day),
        attendees=[Attendee(a) for a in attendees],
    )


def commitment(made_at: Meeting, *owners, text="Ask before judging.") -> Commitment:
    return Commitment(project_id=PROJECT, meeting_id=made_at.id, text=text, owner_ids=list(owners))


def report(at: Meeting, on: Commitment, by) -> ActionReport:
    return ActionReport(
        project_id=PROJECT, meeting_id=at.id, commitment_id=on.id, participant_id=by, text="Did."
    )


def round_at(evaluation, meetings, commitments, reports=()):
    return round_of_the_table(evaluation, meetings, commitments, reports)


def test_only_commitments_of_earlier_meetings_are_on_the_table():
    joint, evaluation, later = meeting(1, ANNA), meeting(10, ANNA), meeting(20, ANNA)
    before = commitment(joint)
    own = commitment(evaluation)
    after = commitment(later)

    table = on_the_table(evaluation, [joint, evaluation, later], [before, own, after])

    assert [c for c, _ in table] == [before]


def test_a_commitment_on_the_table_comes_with_the_meeting_it_was_made_at():
    joint, evaluation = meeting(1, ANNA), meeting(10, ANNA)
    made = commitment(joint)

    assert on_the_table(evaluation, [joint, evaluation], [made]) == [(made, joint)]


def test_owners_default_to_the_attendees_of_the_meeting_where_it_was_made():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM, CARLA)
    made = commitment(joint)

    entry = round_at(evaluation, [joint, evaluation], [made]).entries[0]

    assert entry.not_reported == [ANNA, BRAM], "Carla was not there when it was agreed"


def test_named_owners_only_are_expected_to_report():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    made = commitment(joint, BRAM)

    entry = round_at(evaluation, [joint, evaluation], [made]).entries[0]

    assert entry.not_reported == [BRAM]


def test_an_owner_absent_from_the_round_is_not_waited_for():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA)
    made = commitment(joint)

    entry = round_at(evaluation, [joint, evaluation], [made]).entries[0]

    assert entry.not_reported == [ANNA]


def test_a_report_takes_the_reporter_off_the_not_reported_list():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    made = commitment(joint)
    given = report(evaluation, made, ANNA)

    entry = round_at(evaluation, [joint, evaluation], [made], [given]).entries[0]

    assert (entry.reports, entry.not_reported) == ([given], [BRAM])


def test_reports_given_at_another_meeting_do_not_count_in_this_round():
    joint = meeting(1, ANNA)
    earlier_evaluation, evaluation = meeting(5, ANNA), meeting(10, ANNA)
    made = commitment(joint)
    elsewhere = report(earlier_evaluation, made, ANNA)

    round_ = round_at(evaluation, [joint, earlier_evaluation, evaluation], [made], [elsewhere])

    assert round_.entries[0].reports == []
    assert round_.entries[0].not_reported == [ANNA]


def test_an_attendee_who_owns_nothing_and_reported_nothing_is_silent():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    made = commitment(joint, ANNA)

    round_ = round_at(evaluation, [joint, evaluation], [made], [report(evaluation, made, ANNA)])

    assert round_.entries[0].not_reported == []
    assert round_.silent == [BRAM]
    assert not round_.complete


def test_an_attendee_who_owns_nothing_but_reported_is_not_silent():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    made = commitment(joint, ANNA)
    reports = [report(evaluation, made, ANNA), report(evaluation, made, BRAM)]

    round_ = round_at(evaluation, [joint, evaluation], [made], reports)

    assert round_.silent == []
    assert round_.complete


def test_silent_lists_attendees_in_their_order_at_the_meeting():
    joint = meeting(1, CARLA, ANNA, BRAM)
    evaluation = meeting(10, CARLA, ANNA, BRAM)
    made = commitment(joint)

    round_ = round_at(evaluation, [joint, evaluation], [made], [report(evaluation, made, ANNA)])

    assert round_.silent == [CARLA, BRAM]


def test_the_round_is_complete_when_every_attendee_reported_on_all_they_own():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    shared, visits = commitment(joint), commitment(joint, BRAM, text="Visit teams.")
    reports = [
        report(evaluation, shared, ANNA),
        report(evaluation, shared, BRAM),
        report(evaluation, visits, BRAM),
    ]

    assert round_at(evaluation, [joint, evaluation], [shared, visits], reports).complete


def test_the_round_is_not_complete_while_an_owner_still_has_to_report_on_one_commitment():
    joint = meeting(1, ANNA, BRAM)
    evaluation = meeting(10, ANNA, BRAM)
    shared, visits = commitment(joint), commitment(joint, BRAM, text="Visit teams.")
    reports = [report(evaluation, shared, ANNA), report(evaluation, shared, BRAM)]

    round_ = round_at(evaluation, [joint, evaluation], [shared, visits], reports)

    assert not round_.complete
    assert round_.silent == [BRAM]


def test_a_round_without_attendees_is_never_complete():
    joint = meeting(1, ANNA)
    evaluation = meeting(10)

    assert not round_at(evaluation, [joint, evaluation], [commitment(joint)]).complete


def test_a_round_with_attendees_but_nothing_on_the_table_leaves_them_all_silent():
    evaluation = meeting(10, ANNA, BRAM)

    round_ = round_at(evaluation, [evaluation], [])

    assert (round_.entries, round_.silent, round_.complete) == ([], [ANNA, BRAM], False)
