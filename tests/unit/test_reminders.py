"""What is due: only an action still open is overdue (done and dropped ones are settled)."""

from datetime import date
from uuid import uuid4

from domain.actions import Action, ActionStatus
from domain.phases import Phase
from domain.projects import Project
from domain.reminders import due

TODAY = date(2026, 12, 3)


def overdue_reminders(*actions: Action) -> list[str]:
    project = Project(name="P", organisation_id=uuid4(), team_id=uuid4(), phase=Phase.DEVELOPMENT)
    return [r.kind for r in due(project, [], list(actions), [], TODAY)]


def action(status: ActionStatus) -> Action:
    return Action(
        project_id=uuid4(), text="Share the budget.", due_date=date(2026, 11, 1), status=status
    )


def test_an_open_action_past_its_date_is_overdue():
    assert overdue_reminders(action(ActionStatus.OPEN)) == ["commitment_overdue"]


def test_a_done_or_dropped_action_is_never_overdue():
    assert overdue_reminders(action(ActionStatus.DONE), action(ActionStatus.DROPPED)) == []
