"""Code systems and identifier namespaces used in Collis' FHIR output.

Where a standard code exists it is used (LOINC, SNOMED CT, UCUM, HL7 terminologies); where none
exists (TWSTRS subscores, posture angles measured by video) a local code system under
``urn:collis:`` is used and documented here, so receivers can map it.
"""

FHIR_VERSION = "4.3.0"  # R4B: the R4 family, as modelled by fhir.resources' R4B package

MRN_SYSTEM = "urn:collis:mrn"
CLINICIAN_SYSTEM = "urn:collis:clinician"
LOCAL_OBSERVATION_SYSTEM = "urn:collis:observation"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
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
    "head-rotation": "Head rotation (yaw), degrees, + toward the patient's left",
    "head-laterocollis": "Head tilt (roll), degrees, + toward the patient's left shoulder",
    "head-flexion": "Head flexion (pitch), degrees, + chin down",
    "head-tremor-frequency": "Dominant head tremor frequency, Hz",
    "head-tremor-amplitude": "Head tremor amplitude, degrees",
    "shoulder-elevation": "Shoulder line elevation, degrees",
}


def local_code(code: str) -> dict[str, str]:
    return {"system": LOCAL_OBSERVATION_SYSTEM, "code": code, "display": LOCAL_CODES[code]}
