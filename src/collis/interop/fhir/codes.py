"""Code systems and identifier namespaces used in Collis' FHIR output.

Where a standard code exists it is used (LOINC, SNOMED CT, UCUM, HL7 terminologies); where none
exists (TWSTRS subscores, posture angles measured by video) a local code system under
``urn:collis:`` is used and documented here, so receivers can map it.
"""

# R4 (4.0.1). fhir.resources 8.x models R5 and R4B only (its R4 models were the 6.x line, which
# cannot be installed beside 8.x); the R4B models build and check shapes here, and the tests
# validate every resource we serve against HL7's official R4 JSON schema.
FHIR_VERSION = "4.0.1"

MRN_SYSTEM = "urn:collis:mrn"
CLINICIAN_SYSTEM = "urn:collis:clinician"
LOCAL_OBSERVATION_SYSTEM = "urn:collis:observation"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
APPOINTMENT_TYPE_SYSTEM = "urn:collis:appointment-type"  # codes: AppointmentType.slug
APPOINTMENT_UID_SYSTEM = "urn:collis:appointment"  # the booking's UID, as in its .ics file
LOCAL_PROCEDURE_SYSTEM = "urn:collis:procedure"
MUSCLE_SYSTEM = "urn:collis:muscle"  # codes: the muscle keys of injections.colcap.MUSCLES
LATERALITY_EXTENSION = "urn:collis:fhir:laterality"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# SNOMED CT 4925003 |Spasmodic torticollis (disorder)| — synonym of cervical dystonia.
CERVICAL_DYSTONIA = {"system": SNOMED, "code": "4925003", "display": "Spasmodic torticollis"}

# Local codes for quantities no standard terminology covers (documented in README "FHIR").
LOCAL_CODES = {
    "twstrs-total": "TWSTRS total score (0-85)",
    "twstrs-severity": "TWSTRS severity subscale (0-35)",
    "twstrs-disability": "TWSTRS disability subscale (0-30)",
    "twstrs-pain": "TWSTRS pain subscale (0-20)",
    "tsui-total": "Tsui scale total score (0-25)",
    "head-posture": "Head posture measured from a photo or video (angles and tremor)",
    "head-rotation": "Head rotation (yaw), degrees, + toward the patient's left",
    "head-laterocollis": "Head tilt (roll), degrees, + toward the patient's left shoulder",
    "head-flexion": "Head flexion (pitch), degrees, + chin down",
    "head-tremor-frequency": "Dominant head tremor frequency, Hz",
    "head-tremor-amplitude": "Head tremor amplitude, degrees",
    "shoulder-elevation": "Shoulder line elevation, degrees",
    "toxin-cycle-outcome": "Outcome of a botulinum toxin cycle, rated at the peak visit",
    "cgi-c": "Clinical Global Impression of Change (1 very much improved - 7 very much worse)",
    "pgi-c": "Patient Global Impression of Change (1 very much improved - 7 very much worse)",
    "pain-nrs-peak": "Pain at the peak effect, numeric rating scale (0-10)",
    "cdip58-total": "CDIP-58 total from the licensed paper form (0-100)",
    "toxin-antibodies-a": "Neutralising antibodies to botulinum toxin type A",
    "toxin-antibodies-b": "Neutralising antibodies to botulinum toxin type B",
}


def local_code(code: str) -> dict[str, str]:
    return {"system": LOCAL_OBSERVATION_SYSTEM, "code": code, "display": LOCAL_CODES[code]}


# No LOINC code for the TWSTRS or the Tsui scale was found (LOINC search and the literature,
# 2026-11), so scores use the local codes above with category "survey".
SURVEY_CATEGORY = {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
LABORATORY_CATEGORY = {
    "system": OBSERVATION_CATEGORY,
    "code": "laboratory",
    "display": "Laboratory",
}
EXAM_CATEGORY = {"system": OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}
# UCUM annotation for a dimensionless score (UCUM §4.3 curly braces: "{score}" equals 1).
SCORE_UNIT = {"unit": "score", "system": UCUM, "code": "{score}"}

# The toxin session. Third-party value sets disagree on the SNOMED CT concept for "Injection of
# botulinum toxin (procedure)" (404909007 vs 442695005) and neither could be checked against a
# SNOMED browser, so a local code with text is sent instead of a possibly wrong standard code.
TOXIN_PROCEDURE = {
    "system": LOCAL_PROCEDURE_SYSTEM,
    "code": "botulinum-toxin-injection",
    "display": "Chemodenervation of cervical muscles with botulinum toxin",
}

# SNOMED CT qualifier values: 78421000 |Intramuscular route|, 7771000 |Left|, 24028007 |Right|.
INTRAMUSCULAR = {"system": SNOMED, "code": "78421000", "display": "Intramuscular route"}
LATERALITY = {
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
}

# Toxin doses are in each product's own biological units, which cannot be converted between
# products (clinical.md §3, all labels). UCUM "U" (enzyme unit, µmol/min) and "[iU]" (an
# international standard) would both invite conversion, so the dose carries UCUM's arbitrary unit
# "[arb'U]" with the product's own unit name as the human-readable unit, e.g. "Botox units".
TOXIN_DOSE_UCUM = "[arb'U]"

# Adverse events after a toxin session (injections.safety.EventKind). SNOMED CT codes only where
# two or more third-party value sets agreed on the concept (cross-checked 2026-11, not against a
# SNOMED browser) [S]; the others (voice change, ptosis, neck weakness, injection-site pain, dry
# mouth, URTI) are sent as text only rather than with a possibly wrong code.
ADVERSE_EVENT_SNOMED = {
    "dysphagia": ("40739000", "Dysphagia"),
    "breathing_difficulty": ("267036007", "Dyspnea"),
    "diplopia": ("24982008", "Diplopia"),
    "generalised_weakness": ("26544005", "Muscle weakness"),
    "anaphylaxis": ("39579001", "Anaphylaxis"),
    "headache": ("25064002", "Headache"),
}
ADVERSE_EVENT_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
ADVERSE_EVENT_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"

# Antibody test results (injections.AntibodyTest.Result). No LOINC code for botulinum toxin
# neutralising antibodies could be verified (2026-11), so the test is coded locally
# ("toxin-antibodies-a"/"-b" above) and the result carries HL7's v3 ObservationInterpretation
# code (R4 terminology: POS, NEG, IND) beside the clinic's own wording.
OBSERVATION_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ANTIBODY_INTERPRETATION = {
    "positive": {"system": OBSERVATION_INTERPRETATION, "code": "POS", "display": "Positive"},
    "negative": {"system": OBSERVATION_INTERPRETATION, "code": "NEG", "display": "Negative"},
    "borderline": {
        "system": OBSERVATION_INTERPRETATION,
        "code": "IND",
        "display": "Indeterminate",
    },
}
ANTIBODY_RESULT_SYSTEM = "urn:collis:antibody-result"  # codes: AntibodyTest.Result values
