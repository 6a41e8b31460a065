"""Render a ``VisitSummary`` as PDF with ReportLab (pure Python, no system packages), in the
active language (the portal's PDF is in the patient's language, issue #17)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from collis.chart.summary import VisitSummary

_TABLE_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8793a3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def _day(day) -> str:  # noqa: ANN001 (a date)
    return formats.date_format(day, _("Y-m-d"))


def render_visit_summary_pdf(summary: VisitSummary) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [
        p(_("Visit summary – %(clinic)s") % {"clinic": summary.clinic_name}, h1),
        p(
            _("%(name)s (MRN %(mrn)s)") % {"name": summary.patient_name, "mrn": summary.mrn}
            + (
                ", " + _("born %(day)s") % {"day": _day(summary.birth_date)}
                if summary.birth_date
                else ""
            )
        ),
        p(
            _("%(kind)s on %(day)s with %(clinician)s")
            % {
                "kind": summary.visit_kind,
                "day": _day(summary.visit_date),
                "clinician": summary.clinician,
            }
        ),
        p(_("Diagnosis:") + f" {summary.diagnosis}"),
        Spacer(1, 0.15 * inch),
    ]
    for session in summary.sessions:
        story.append(p(_("Botulinum toxin:") + f" {session.product}", h2))
        story.append(
            p(
                _("Lot %(lot)s; dilution %(dilution)s; total %(total)s %(units)s.")
                % {
                    "lot": session.lot,
                    "dilution": session.dilution,
                    "total": session.total_units,
                    "units": session.unit_label,
                }
            )
        )
        rows = [[_("Muscle"), _("Side"), session.unit_label, _("Sites"), _("Guidance")]]
        rows += [
            [i.muscle, i.side, str(i.units), str(i.sites), i.guidance] for i in session.injections
        ]
        table = Table(
            rows,
            repeatRows=1,
            colWidths=[2.4 * inch, 0.7 * inch, 1.1 * inch, 0.6 * inch, 1.4 * inch],
        )
        table.setStyle(_TABLE_STYLE)
        story += [table, Spacer(1, 0.1 * inch)]
        story.append(p(_("Next injection due from %(day)s.") % {"day": _day(session.next_due)}))
        for warning in session.warnings:
            story.append(p(_("Label warning acknowledged:") + f" {warning}"))
        if session.acknowledgement:
            story.append(p(_("Clinician's reason:") + f" {session.acknowledgement}"))
        for line in session.screening:
            story.append(p(line))
        for event in session.adverse_events:
            story.append(p(_("Adverse event:") + f" {event}"))
        if session.outcome:
            story.append(p(session.outcome))
        for goal in session.goals:
            story.append(p(_("Goal:") + f" {goal}"))
        if session.claim_lines:
            story.append(p("Claim lines (for the billing system; not submitted)"))
            rows = [["Code", "Modifiers", "Billing units", "NDC", "Dx"]]
            rows += [
                [c.code, " ".join(c.modifiers), str(c.billing_units), c.ndc, c.diagnosis]
                for c in session.claim_lines
            ]
            table = Table(rows, repeatRows=1)
            table.setStyle(_TABLE_STYLE)
            story += [table, Spacer(1, 0.1 * inch)]
        for problem in session.claim_problems:
            story.append(p(f"Claim: {problem}"))
    if summary.scores:
        story.append(p(_("Rating scales"), h2))
        rows = [[_("Scale"), _("Timepoint"), _("Subscores"), _("Total")]]
        for score in summary.scores:
            subs = ", ".join(f"{k} {v}" for k, v in score.subscores.items())
            rows.append([score.scale, score.timepoint, subs, str(score.total)])
        table = Table(rows, repeatRows=1)
        table.setStyle(_TABLE_STYLE)
        story.append(table)
        story.append(p(_("Versions:") + f" {', '.join(s.version for s in summary.scores)}"))
    if summary.angles:
        story.append(p(_("Head posture"), h2))
        for name, value in summary.angles:
            story.append(p(f"{name}: {value}"))
    if summary.notes:
        story.append(p(_("Clinician's notes"), h2))
        story.append(p(summary.notes))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=_("Visit summary %(day)s") % {"day": _day(summary.visit_date)},
        author=summary.clinic_name,
    )
    doc.build(story)
    return buffer.getvalue()
