"""Claim lines for one toxin session (pure: no Django imports). No claim is ever submitted.

The codes come from a reference table (``DEFAULT_CODES``, copied into the ``BillingCode`` table
a clinic can edit). Each entry says how it was verified:
[S] from CMS/payer/manufacturer references read second-hand; [U] not verified, confirm with the
payer before billing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CodeEntry:
    key: str
    code: str
    description: str
    evidence: str
    source: str
    units_per_billing_unit: int | None = None  # drug codes: product units per billing unit


def _drug(product: str, code: str, per: int, desc: str, evidence: str, source: str) -> CodeEntry:
    return CodeEntry(f"drug:{product}", code, desc, evidence, source, per)


CMS_LCD = "whatismedicalinsurancebilling.org (LCD text: J0585–J0588), clinical.md §7"
DEFAULT_CODES: tuple[CodeEntry, ...] = (
    _drug(
        "onabotulinumtoxinA",
        "J0585",
        1,
        "Injection, onabotulinumtoxinA, 1 unit",
        "[S]",
        CMS_LCD,
    ),
    _drug(
        "abobotulinumtoxinA",
        "J0586",
        5,
        "Injection, abobotulinumtoxinA, 5 units",
        "[S]",
        CMS_LCD + "; pabau.com: 100 Dysport units bill as 20",
    ),
    _drug(
        "rimabotulinumtoxinB",
        "J0587",
        100,
        "Injection, rimabotulinumtoxinB, 100 units",
        "[S]",
        CMS_LCD,
    ),
    _drug(
        "incobotulinumtoxinA",
        "J0588",
        1,
        "Injection, incobotulinumtoxinA, 1 unit",
        "[S]",
        CMS_LCD,
    ),
    _drug(
        "daxibotulinumtoxinA",
        "J0589",
        1,
        "Injection, daxibotulinumtoxinA-lanm, 1 unit",
        "[S]",
        "hcp.daxxifycervicaldystonia.com/access-daxxify (manufacturer billing page)",
    ),
    CodeEntry(
        "procedure:chemodenervation-neck",
        "64616",
        "Chemodenervation of muscle(s); neck muscle(s), excluding muscles of the larynx, "
        "unilateral (eg, for cervical dystonia, spasmodic torticollis)",
        "[S]",
        "clinical.md §7; hcp.daxxifycervicaldystonia.com/access-daxxify",
    ),
    CodeEntry(
        "guidance:emg",
        "95874",
        "Needle electromyography for guidance in conjunction with chemodenervation (add-on)",
        "[S]",
        "iframe.ai/medical-coding/reference/95874; codingahead.com 95874",
    ),
    CodeEntry(
        "guidance:estim",
        "95873",
        "Electrical stimulation for guidance in conjunction with chemodenervation (add-on)",
        "[S]",
        "codingahead.com/cpt/codes/95873; hcp.daxxifycervicaldystonia.com",
    ),
    CodeEntry(
        "guidance:ultrasound",
        "76942",
        "Ultrasonic guidance for needle placement",
        "[U]",
        "Not verified as payable with 64616; many payers bundle it. Confirm before billing.",
    ),
    CodeEntry(
        "diagnosis:cervical-dystonia",
        "G24.3",
        "Spasmodic torticollis",
        "[S]",
        "clinical.md §7; hcp.daxxifycervicaldystonia.com/access-daxxify",
    ),
    CodeEntry(
        "modifier:discarded",
        "JW",
        "Drug amount discarded/not administered to any patient",
        "[S]",
        "clinical.md §7 (Noridian JW/JZ article)",
    ),
    CodeEntry(
        "modifier:none-discarded",
        "JZ",
        "Zero drug amount discarded (Medicare, single-dose containers, since 1 July 2023)",
        "[S]",
        "clinical.md §7 (Noridian JW/JZ article)",
    ),
    CodeEntry(
        "modifier:bilateral",
        "50",
        "Bilateral procedure (64616 on both sides, one line)",
        "[S]",
        "iframe.ai J0588 page: RT/LT laterality, 50 bilateral; payer rules vary",
    ),
    CodeEntry("modifier:left", "LT", "Left side", "[S]", "iframe.ai J0588 page"),
    CodeEntry("modifier:right", "RT", "Right side", "[S]", "iframe.ai J0588 page"),
)

GUIDANCE_KEYS = {
    "emg": "guidance:emg",
    "estim": "guidance:estim",
    "ultrasound": "guidance:ultrasound",
}


@dataclass(frozen=True)
class VialUse:
    """One vial's part in a session: units drawn for it and the discard billed on it."""

    ndc: str
    drawn_units: int
    discarded_units: int | None  # None while the vial is still open
    single_dose: bool = True


@dataclass(frozen=True)
class SessionFacts:
    product_code: str
    administered_units: int
    vials: tuple[VialUse, ...]
    sides: frozenset[str]  # "left", "right"
    guidance: frozenset[str]  # "emg", "estim", "ultrasound", "landmarks"
    single_dose: bool = True


@dataclass(frozen=True)
class ClaimLine:
    code: str
    description: str
    billing_units: int
    modifiers: tuple[str, ...] = ()
    ndc: str = ""
    product_units: int | None = None  # the product's own units behind a drug line
    diagnosis: str = ""
    evidence: str = ""

    def as_row(self) -> dict[str, object]:
        return {
            "code": self.code,
            "modifiers": " ".join(self.modifiers),
            "billing_units": self.billing_units,
            "product_units": "" if self.product_units is None else self.product_units,
            "ndc": self.ndc,
            "diagnosis": self.diagnosis,
            "description": self.description,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Claim:
    lines: tuple[ClaimLine, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.problems


def billing_units(product_units: int, per: int) -> int:
    """Return billing units for ``product_units`` at ``per`` units each, rounded up.

    [U] Rounding up a part billing unit follows common payer guidance; confirm with the payer.
    """
    return math.ceil(product_units / per)


def ndc_11(ndc: str) -> str:
    """Return an NDC as 11 digits (5-4-2, no hyphens) as claims carry it.

    Accepts 5-4-2 already, or a hyphenated 10-digit 4-4-2, 5-3-2 or 5-4-1 form.
    """
    parts = ndc.strip().split("-")
    if len(parts) == 3:
        a, b, c = parts
        return a.zfill(5) + b.zfill(4) + c.zfill(2)
    digits = "".join(ch for ch in ndc if ch.isdigit())
    return digits


def claim_lines(facts: SessionFacts, table: Mapping[str, CodeEntry]) -> Claim:
    """Return the session's claim lines: drug (per NDC) with JW or JZ, 64616, guidance."""
    problems: list[str] = []
    lines: list[ClaimLine] = []
    dx = table["diagnosis:cervical-dystonia"]
    drug = table.get(f"drug:{facts.product_code}")
    if drug is None or not drug.units_per_billing_unit:
        problems.append(f"No drug code on file for {facts.product_code}.")
    elif not facts.vials:
        problems.append("No vial draws recorded: the NDC and discarded amount are unknown.")
    else:
        per = drug.units_per_billing_unit
        drawn_total = sum(v.drawn_units for v in facts.vials)
        if drawn_total != facts.administered_units:
            problems.append(
                f"Vial draws ({drawn_total} U) differ from the units injected "
                f"({facts.administered_units} U)."
            )
        by_ndc: dict[str, list[VialUse]] = {}
        for vial in facts.vials:
            by_ndc.setdefault(ndc_11(vial.ndc), []).append(vial)
        for ndc, vials in by_ndc.items():
            given = sum(v.drawn_units for v in vials)
            open_vials = [v for v in vials if v.discarded_units is None]
            discarded = sum(v.discarded_units or 0 for v in vials)
            given_bu = billing_units(given, per)
            lines.append(_drug_line(drug, dx, given_bu, given, ndc, modifiers=()))
            if open_vials:
                problems.append(
                    f"{len(open_vials)} vial(s) with NDC {ndc} still open: close them to record "
                    "the discarded amount (JW) or none (JZ)."
                )
                continue
            if not facts.single_dose:
                continue  # multi-dose containers take neither JW nor JZ (clinical.md §7 [S])
            # The discarded line takes what the opened vials hold beyond the billed dose, so
            # administered + discarded never exceeds the vials opened.
            waste_bu = billing_units(given + discarded, per) - given_bu if discarded else 0
            if discarded and waste_bu > 0:
                lines.append(
                    _drug_line(
                        drug,
                        dx,
                        waste_bu,
                        discarded,
                        ndc,
                        modifiers=(table["modifier:discarded"].code,),
                    )
                )
            elif discarded:
                problems.append(
                    f"{discarded} U discarded is less than one billing unit of {drug.code}; "
                    "neither JW nor JZ was added [U]: ask the payer."
                )
            else:
                lines[-1] = _drug_line(
                    drug,
                    dx,
                    given_bu,
                    given,
                    ndc,
                    modifiers=(table["modifier:none-discarded"].code,),
                )
    lines.extend(_procedure_lines(facts, table, dx))
    return Claim(tuple(lines), tuple(problems))


def _drug_line(
    drug: CodeEntry,
    dx: CodeEntry,
    billing: int,
    product_units: int,
    ndc: str,
    *,
    modifiers: tuple[str, ...],
) -> ClaimLine:
    return ClaimLine(
        code=drug.code,
        description=drug.description,
        billing_units=billing,
        modifiers=modifiers,
        ndc=ndc,
        product_units=product_units,
        diagnosis=dx.code,
        evidence=drug.evidence,
    )


def _procedure_lines(
    facts: SessionFacts, table: Mapping[str, CodeEntry], dx: CodeEntry
) -> list[ClaimLine]:
    proc = table["procedure:chemodenervation-neck"]
    lines: list[ClaimLine] = []
    if facts.sides >= {"left", "right"}:
        modifiers: tuple[str, ...] = (table["modifier:bilateral"].code,)
    elif facts.sides == {"left"}:
        modifiers = (table["modifier:left"].code,)
    elif facts.sides == {"right"}:
        modifiers = (table["modifier:right"].code,)
    else:
        modifiers = ()
    lines.append(
        ClaimLine(
            proc.code, proc.description, 1, modifiers, diagnosis=dx.code, evidence=proc.evidence
        )
    )
    for guidance in sorted(facts.guidance):
        key = GUIDANCE_KEYS.get(guidance)
        if key is None or key not in table:
            continue
        entry = table[key]
        lines.append(
            ClaimLine(entry.code, entry.description, 1, diagnosis=dx.code, evidence=entry.evidence)
        )
    return lines


def as_table(entries: Iterable[CodeEntry]) -> dict[str, CodeEntry]:
    return {e.key: e for e in entries}
