"""What a team may see of its members' own ratings: aggregates only, and no aggregate
over fewer than ``MIN_RATERS`` raters, so that nobody can be singled out (knowing one's
own rating, a mean of two gives the other's away).

One rule for every aggregate a participant reads: the readiness summary and its rounds
(``domain.intake``), the results of a pulse survey, per round and per question
(``domain.pulse``), and the team view of the competence matrix (``domain.matrix``).
"""

from __future__ import annotations

from domain.texts import _

MIN_RATERS = 3
WITHHELD = _("fewer than {minimum} ratings", minimum=MIN_RATERS)


def too_few(raters: int) -> bool:
    """Too few raters for their aggregate to be shown to the team."""
    return raters < MIN_RATERS
