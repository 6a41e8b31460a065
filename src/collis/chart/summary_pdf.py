"""Render a ``VisitSummary`` as PDF with ReportLab (pure Python, no system packages)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

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


def render_visit_summary_pdf(summary: VisitSummary) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [
        p(f"Visit summary – {summary.clinic_name}", h1),
        p(
            f"{summary.patient_name} (MRN {summary.mrn})"
            + (f", born {summary.birth_date:%Y-%m-%d}" if summary.birth_date else "")
        ),
        p(f"{summary.visit_kind} on {summary.visit_date:%Y-%m-%d} with {summary.clinician}"),
        p(f"Diagnosis: {summary.diagnosis}"),
        Spacer(1, 0.15 * inch),
    ]
    for session in summary.sessions:
        story.append(p(f"Botulinum toxin: {session.product}", h2))
        story.append(
            p(
                f"Lot {session.lot}; dilution {session.dilution}; total {session.total_units} "
                f"{session.unit_label}."
            )
        )
        rows = [["Muscle", "Side", session.unit_label, "Sites", "Guidance"]]
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
        story.append(p(f"Next injection due from {session.next_due:%Y-%m-%d}."))
        for warning in session.warnings:
            story.append(p(f"Label warning acknowledged: {warning}"))
        if session.acknowledgement:
            story.append(p(f"Clinician's reason: {session.acknowledgement}"))
        for line in session.screening:
            story.append(p(line))
        for event in session.adverse_events:
            story.append(p(f"Adverse event: {event}"))
        if session.outcome:
            story.append(p(session.outcome))
        for goal in session.goals:
            story.append(p(f"Goal: {goal}"))
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
        story.append(p("Rating scales", h2))
        rows = [["Scale", "Timepoint", "Subscores", "Total"]]
        for score in summary.scores:
            subs = ", ".join(f"{k} {v}" for k, v in score.subscores.items())
            rows.append([score.scale, score.timepoint, subs, str(score.total)])
        table = Table(rows, repeatRows=1)
        table.setStyle(_TABLE_STYLE)
        story.append(table)
        story.append(p(f"Scale version: {', '.join(s.version for s in summary.scores)}"))
    if summary.angles:
        story.append(p("Head posture", h2))
        for name, value in summary.angles:
            story.append(p(f"{name}: {value}"))
    if summary.notes:
        story.append(p("Clinician's notes", h2))
        story.append(p(summary.notes))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=f"Visit summary {summary.visit_date:%Y-%m-%d}",
        author=summary.clinic_name,
    )
    doc.build(story)
    return buffer.getvalue()
