"""Claim lines from session facts: drug units per code, JW/JZ, 64616 laterality, guidance."""

from __future__ import annotations

import pytest

from collis.supply import billing

TABLE = billing.as_table(billing.DEFAULT_CODES)


def facts(product, administered, vials, sides=("left", "right"), guidance=("landmarks",)):
    return billing.SessionFacts(
        product_code=product,
        administered_units=administered,
        vials=tuple(vials),
        sides=frozenset(sides),
        guidance=frozenset(guidance),
    )


@pytest.mark.parametrize(
    ("product", "code", "units", "billing_units"),
    [
        ("onabotulinumtoxinA", "J0585", 200, 200),
        ("abobotulinumtoxinA", "J0586", 500, 100),
        ("abobotulinumtoxinA", "J0586", 100, 20),  # clinical.md §7 [S]: 100 Dysport U bill as 20
        ("rimabotulinumtoxinB", "J0587", 5000, 50),
        ("incobotulinumtoxinA", "J0588", 100, 100),
        ("daxibotulinumtoxinA", "J0589", 100, 100),
    ],
)
def test_drug_line_uses_each_codes_billing_unit(product, code, units, billing_units):
    claim = billing.claim_lines(
        facts(product, units, [billing.VialUse("00023-1145-01", units, 0)]), TABLE
    )
    drug = claim.lines[0]
    assert (drug.code, drug.billing_units, drug.product_units) == (code, billing_units, units)


def test_half_used_vial_gives_a_jw_line_with_the_discarded_units():
    claim = billing.claim_lines(
        facts("onabotulinumtoxinA", 100, [billing.VialUse("00023-1145-01", 100, 100)]), TABLE
    )
    assert claim.complete
    drug, waste = claim.lines[0], claim.lines[1]
    assert (drug.code, drug.modifiers, drug.billing_units) == ("J0585", (), 100)
    assert (waste.code, waste.modifiers, waste.billing_units) == ("J0585", ("JW",), 100)
    assert waste.ndc == drug.ndc == "00023114501"


def test_whole_vials_give_a_jz_modifier_and_no_jw_line():
    claim = billing.claim_lines(
        facts(
            "onabotulinumtoxinA",
            300,
            [billing.VialUse("00023-1145-01", 100, 0), billing.VialUse("00023-1145-01", 200, 0)],
        ),
        TABLE,
    )
    drug_lines = [line for line in claim.lines if line.code == "J0585"]
    assert len(drug_lines) == 1
    assert drug_lines[0].modifiers == ("JZ",)
    assert drug_lines[0].billing_units == 300


def test_dysport_waste_never_bills_more_than_the_vials_opened():
    # 512 U given from a 500 + 300 U pair: 103 billing units given (rounded up [U]), 57 wasted.
    claim = billing.claim_lines(
        facts(
            "abobotulinumtoxinA",
            512,
            [billing.VialUse("15054-0500-01", 500, 0), billing.VialUse("15054-0500-01", 12, 288)],
        ),
        TABLE,
    )
    given, waste = claim.lines[0], claim.lines[1]
    assert (given.billing_units, waste.billing_units, waste.modifiers) == (103, 57, ("JW",))
    assert given.billing_units + waste.billing_units == 800 // 5


def test_open_vial_leaves_the_claim_incomplete_without_jw_or_jz():
    claim = billing.claim_lines(
        facts("incobotulinumtoxinA", 80, [billing.VialUse("00259-1605-01", 80, None)]), TABLE
    )
    assert not claim.complete
    assert all("JW" not in line.modifiers and "JZ" not in line.modifiers for line in claim.lines)


def test_no_draws_is_a_problem_not_a_guess():
    claim = billing.claim_lines(facts("onabotulinumtoxinA", 100, []), TABLE)
    assert "No vial draws" in claim.problems[0]


@pytest.mark.parametrize(
    ("sides", "modifiers"),
    [(("left", "right"), ("50",)), (("left",), ("LT",)), (("right",), ("RT",))],
)
def test_procedure_line_carries_laterality(sides, modifiers):
    claim = billing.claim_lines(
        facts("onabotulinumtoxinA", 100, [billing.VialUse("1", 100, 0)], sides=sides), TABLE
    )
    proc = [line for line in claim.lines if line.code == "64616"][0]
    assert proc.modifiers == modifiers
    assert proc.diagnosis == "G24.3"


def test_guidance_codes_are_added_once_per_session():
    claim = billing.claim_lines(
        facts(
            "onabotulinumtoxinA",
            100,
            [billing.VialUse("1", 100, 0)],
            guidance=("emg", "ultrasound", "landmarks"),
        ),
        TABLE,
    )
    codes = [line.code for line in claim.lines]
    assert codes.count("95874") == 1 and codes.count("76942") == 1
    assert "95873" not in codes


def test_discard_below_one_billing_unit_is_flagged():
    claim = billing.claim_lines(
        facts("abobotulinumtoxinA", 495, [billing.VialUse("1", 495, 5 - 5 + 3)]), TABLE
    )
    # 495 given = 99 units; 498 opened rounds to 100: one JW unit covers the 3 U left.
    assert claim.lines[1].modifiers == ("JW",)


def test_draws_differing_from_injected_units_are_reported():
    claim = billing.claim_lines(
        facts("onabotulinumtoxinA", 120, [billing.VialUse("1", 100, 0)]), TABLE
    )
    assert any("differ" in p for p in claim.problems)


@pytest.mark.parametrize(
    ("raw", "eleven"),
    [
        ("00023-1145-01", "00023114501"),
        ("0023-1145-01", "00023114501"),
        ("72960-112-01", "72960011201"),
        ("15054-0500-1", "15054050001"),
    ],
)
def test_ndc_is_written_as_eleven_digits(raw, eleven):
    assert billing.ndc_11(raw) == eleven


def test_every_default_code_says_how_it_was_verified():
    assert all(e.evidence in {"[V]", "[S]", "[U]"} and e.source for e in billing.DEFAULT_CODES)


def test_unknown_product_and_multi_dose_vials():
    claim = billing.claim_lines(facts("unknownA", 10, [billing.VialUse("1", 10, 0)]), TABLE)
    assert "No drug code" in claim.problems[0]
    multi = billing.SessionFacts(
        product_code="onabotulinumtoxinA",
        administered_units=50,
        vials=(billing.VialUse("1", 50, 50, single_dose=False),),
        sides=frozenset({"left"}),
        guidance=frozenset(),
        single_dose=False,
    )
    lines = billing.claim_lines(multi, TABLE).lines
    # Multi-dose containers take neither JW nor JZ (clinical.md §7 [S]).
    assert lines[0].modifiers == () and all("JW" not in line.modifiers for line in lines)


def test_ndc_without_hyphens_keeps_its_digits_and_rows_are_flat():
    assert billing.ndc_11("00023114501") == "00023114501"
    row = billing.ClaimLine("64616", "x", 1, ("50",)).as_row()
    assert row["modifiers"] == "50" and row["product_units"] == ""


def test_no_sides_recorded_gives_no_laterality_modifier():
    claim = billing.claim_lines(
        facts("onabotulinumtoxinA", 100, [billing.VialUse("1", 100, 0)], sides=()), TABLE
    )
    assert [line.modifiers for line in claim.lines if line.code == "64616"] == [()]
