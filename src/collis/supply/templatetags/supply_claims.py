"""``{% visit_claim_lines visit %}``: the claim lines of a visit's toxin sessions (staff only).

A template tag, so the visit summary (which supply must not be imported by) can show them.
"""

from __future__ import annotations

from django import template

from collis.supply.inventory import code_table, session_claim

register = template.Library()


@register.inclusion_tag("supply/partials/_visit_claims.html", takes_context=True)
def visit_claim_lines(context, visit) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return {"claims": []}
    table = code_table()
    sessions = visit.injection_sessions.select_related("product").prefetch_related("injections")
    return {"claims": [(s, session_claim(s, table)) for s in sessions]}
