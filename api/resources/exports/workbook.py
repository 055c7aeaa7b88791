"""The project as a workbook for consultants who live in spreadsheets.

People are named by their ref (external id) and competences by code, the same natural
keys as the JSON export, so an edited workbook can be read back as an update.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from uuid import UUID

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from api.i18n import render
from domain.development import Agreement
from domain.exchange import ProjectRecords, person_refs
from domain.matrix import dependencies
from domain.service_definition import coordinators
from domain.texts import Text, _

# Light to dark green for levels 0–4; red marks a single point of failure.
LEVEL_FILLS = ["F2F2F2", "E2F0D9", "C5E0B4", "A9D18E", "70AD47"]
SPOF_FILL = "FF7C80"
BOLD = Font(bold=True)

# The sheets, in the request's language; an edited workbook is read back in either.
MATRIX = _("Matrix")
SERVICES = _("Services")
DEPENDENCIES = _("Dependencies")
AGREEMENTS = _("Agreements")
MEETINGS = _("Meetings")
SPOF = _("Single point of failure")  # also the Matrix sheet's last row, where reading stops
YES, NO = _("yes"), _("no")


def filename(r: ProjectRecords) -> str:
    """The file's name without its extension: the project's, safe in any file system."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in r.project.name)
    return safe.strip("-")[:80] or "project"


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def _sheet(book: Workbook, title: Text, header: list[Text | str], frozen: str = "A2") -> Worksheet:
    """A sheet whose header stays in view (``frozen``: the first cell that scrolls) and
    that prints well: landscape A4, as wide as one page however many columns it has (as
    many pages tall as it needs), its header row repeated on every page."""
    sheet = book.create_sheet(render(title))
    sheet.append(render(header))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = frozen
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # no limit: as many pages tall as the rows need
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = f"{render(title)} &P / &N"
    return sheet


def _coach(a: Agreement, participant_ref: dict[UUID, str]) -> str | None:
    """Who helps: a senior by ref, an external coach or a training in words."""
    if a.coach_id is not None:
        return participant_ref[a.coach_id]
    if (external := a.external_coach) is not None:
        return render(
            _(
                "{name} ({organisation}), external coach",
                name=external.name,
                organisation=external.organisation,
            )
        )
    if (training := a.training) is not None:
        values = {"title": training.title, "provider": training.provider}
        starts, ends = training.starts_on, training.ends_on
        if starts and ends:
            text = _(
                "Training: {title} by {provider}, {starts} to {ends}",
                starts=starts.isoformat(),
                ends=ends.isoformat(),
                **values,
            )
        elif (when := starts or ends) is not None:
            text = _(
                "Training: {title} by {provider}, {date}",
                date=when.isoformat(),
                **values,
            )
        else:
            text = _("Training: {title} by {provider}", **values)
        return render(text)
    return None


def workbook(r: ProjectRecords) -> bytes:
    people = {p.id: p for p in r.people}
    ref = person_refs(r.people)
    participant_ref = {pt.id: ref[pt.person_id] for pt in r.participants}
    erased = render(_("(erased)"))
    name = {pt.id: people[pt.person_id].name or erased for pt in r.participants}
    code = {c.id: c.code for c in r.competences}
    ranking = dependencies(r.competences, r.services, r.levels, r.participants)
    fragile = {d.competence.id for d in ranking if d.single_point_of_failure}

    book = Workbook()
    book.remove(book.worksheets[0])  # the sheet a new workbook starts with

    # Matrix: one row per participant, one column per competence, coloured by level.
    # Person, name and roles stay in view beside the levels as they scroll.
    matrix = _sheet(
        book,
        MATRIX,
        [_("Person"), _("Name"), _("Roles"), *(c.code for c in r.competences)],
        "D2",
    )
    for column, competence in enumerate(r.competences, start=4):
        header = matrix.cell(row=1, column=column)
        if competence.id in fragile:
            header.fill = _fill(SPOF_FILL)
            header.comment = Comment(
                render(_("Single point of failure: one person or nobody holds it.")),
                "OD platform",
            )
    level = {(x.participant_id, x.competence_id): x.level for x in r.levels}
    for row, pt in enumerate(r.participants, start=2):
        matrix.cell(row=row, column=1, value=participant_ref[pt.id])
        matrix.cell(row=row, column=2, value=name[pt.id])
        matrix.cell(row=row, column=3, value=", ".join(x.value for x in pt.roles))
        for column, competence in enumerate(r.competences, start=4):
            value = level.get((pt.id, competence.id))
            if value is not None:
                cell = matrix.cell(row=row, column=column, value=value)
                cell.fill = _fill(LEVEL_FILLS[value])
                cell.alignment = Alignment(horizontal="center")
    marker = len(r.participants) + 2
    matrix.cell(row=marker, column=1, value=render(SPOF)).font = BOLD
    for column, competence in enumerate(r.competences, start=4):
        if competence.id in fragile:
            matrix.cell(row=marker, column=column, value=render(YES)).fill = _fill(SPOF_FILL)

    # Services: the group, what the client receives and looks at, who coordinates.
    coordinating = {c.participant_id for c in coordinators(r.contributions, r.services)}
    services = _sheet(
        book,
        SERVICES,
        [
            _("Service"),
            _("Client group"),
            _("Deliverables"),
            _("Indicators"),
            _("Contributors"),
            _("Coordinators"),
            _("Required competences"),
        ],
    )
    for s in r.services:
        group = [c.participant_id for c in r.contributions if c.service_id == s.id]
        services.append(
            [
                s.name,
                s.client_group,
                "\n".join(s.deliverables),
                "\n".join(s.indicators),
                ", ".join(name[p] for p in group),
                ", ".join(name[p] for p in group if p in coordinating),
                ", ".join(f"{code[n.competence_id]} ({n.level})" for n in s.required_competences),
            ]
        )

    deps = _sheet(
        book,
        DEPENDENCIES,
        [
            _("Rank"),
            _("Competence"),
            _("Name"),
            _("Demand"),
            _("Required level"),
            _("Holders"),
            _("Held by"),
            SPOF,
            _("Services at risk"),
        ],
    )
    for d in ranking:
        deps.append(
            [
                d.rank,
                d.competence.code,
                d.competence.name,
                d.demand,
                d.required_level,
                len(d.holders),
                ", ".join(name.get(h, "") for h in d.holders),
                render(YES if d.single_point_of_failure else NO),
                ", ".join(s.name for s in d.services_at_risk),
            ]
        )
        if d.single_point_of_failure:
            deps.cell(row=deps.max_row, column=8).fill = _fill(SPOF_FILL)

    agreements = _sheet(
        book,
        AGREEMENTS,
        [
            _("Person"),
            _("Competence"),
            _("Start level"),
            _("Target level"),
            _("Coach"),
            _("Due date"),
            _("Status"),
            _("Last check-in"),
            _("Days since check-in"),
        ],
    )
    latest = {}
    for c in r.check_ins:
        latest[c.agreement_id] = c
    for a in r.agreements:
        last = latest.get(a.id)
        agreements.append(
            [
                participant_ref[a.participant_id],
                code[a.competence_id],
                a.start_level,
                a.target_level,
                _coach(a, participant_ref),
                a.due_date,
                a.status.value,
                f"{last.date.isoformat()} {last.status.value}" if last else None,
                (date.today() - last.date).days if last else None,
            ]
        )

    meetings = _sheet(
        book,
        MEETINGS,
        [
            _("Date"),
            _("Kind"),
            _("Topic"),
            _("Attendees"),
            _("Ground rules"),
            _("Commitments"),
            _("Start"),
            _("Minutes"),
            _("Place"),
            _("Agenda"),
            _("Decisions"),
        ],
    )
    for m in r.meetings:
        meetings.append(
            [
                m.date,
                m.kind.value,
                m.topic,
                ", ".join(
                    f"{name[a.participant_id]}" + (f" ({a.layer})" if a.layer else "")
                    for a in m.attendees
                ),
                "\n".join(m.ground_rules),
                "\n".join(c.text for c in r.commitments if c.meeting_id == m.id),
                m.start_time.strftime("%H:%M") if m.start_time else None,
                m.duration_minutes,
                m.place,
                "\n".join(m.agenda),
                "\n".join(m.decisions),
            ]
        )

    for sheet in book.worksheets:
        for number, cells in enumerate(sheet.columns, 1):
            width = max((len(str(c.value)) for c in cells if c.value is not None), default=8)
            sheet.column_dimensions[get_column_letter(number)].width = min(max(width + 2, 8), 60)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
