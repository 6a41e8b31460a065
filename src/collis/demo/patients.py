from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.demo.context import DemoContext
from collis.patients.models import Patient

DEMO_PATIENT_COUNT = 40
PATIENT_LOGIN = ("patient", "collis-patient-demo")


def seed_identity(ctx: DemoContext) -> None:
    fake = ctx.faker
    for number in range(1, DEMO_PATIENT_COUNT + 1):
        # Cervical dystonia affects women about twice as often as men (clinical.md §5).
        sex = Patient.Sex.FEMALE if ctx.rng.random() < 0.67 else Patient.Sex.MALE
        given = fake.first_name_female() if sex == Patient.Sex.FEMALE else fake.first_name_male()
        family = fake.last_name()
        birth = fake.date_of_birth(minimum_age=28, maximum_age=78)
        phone = fake.numerify("(312) 555-0###")
        Patient.objects.get_or_create(
            mrn=f"DEMO-{number:04d}",
            defaults={
                "given_name": given,
                "family_name": family,
                "birth_date": birth,
                "sex": sex,
                "email": f"{given}.{family}{number}@example.com".lower(),
                "phone": phone,
                "preferred_language": "English",
            },
        )
    first = Patient.objects.get(mrn="DEMO-0001")
    if first.user_id is None:
        first.user = ensure_user_with_role(
            PATIENT_LOGIN[0],
            Role.PATIENT,
            password=PATIENT_LOGIN[1],
            first_name=first.given_name,
            last_name=first.family_name,
            email=first.email,
        )
        first.save(update_fields=["user"])
    ctx.logins.append(("patient", *PATIENT_LOGIN))


# Clinical demo: diagnoses for the first CLINICAL_DEMO_COUNT patients (synthetic). Col-Cap
# patterns follow the frequencies in clinical.md §2 (torticaput and laterocaput most common).
CLINICAL_DEMO_COUNT = 10
DEMO_PATTERNS = [
    ([("torticaput", "left"), ("laterocaput", "left")], "torticaput", True, "touching the chin"),
    ([("torticaput", "right")], "torticaput", False, "hand on the back of the head"),
    ([("laterocaput", "right"), ("torticollis", "right")], "laterocaput", True, ""),
    (
        [("torticaput", "left"), ("lateral_shift", "right")],
        "torticaput",
        True,
        "touching the cheek",
    ),
    ([("retrocaput", "")], "retrocaput", True, "leaning against a wall"),
    ([("torticaput", "right"), ("laterocollis", "left")], "torticaput", False, "touching the chin"),
    ([("anterocollis", "")], "anterocollis", False, ""),
    ([("laterocaput", "left")], "laterocaput", True, "touching the cheek"),
    ([("torticaput", "left")], "torticaput", True, "touching the chin"),
    ([("torticollis", "left"), ("laterocaput", "left")], "torticollis", False, ""),
]


def clinical_demo_patients() -> list[Patient]:
    return list(
        Patient.objects.filter(
            mrn__in=[f"DEMO-{n:04d}" for n in range(1, CLINICAL_DEMO_COUNT + 1)]
        ).order_by("mrn")
    )


def seed_clinical(ctx: DemoContext) -> None:
    from collis.patients.models import Diagnosis
    from collis.providers.models import Clinician

    clinicians = list(Clinician.objects.filter(slug__in=["dr-maya-okafor", "dr-lucas-brennan"]))
    for index, patient in enumerate(clinical_demo_patients()):
        pattern, primary, tremor, trick = DEMO_PATTERNS[index % len(DEMO_PATTERNS)]
        years = 2 + ctx.rng.randint(0, 9)
        Diagnosis.objects.get_or_create(
            patient=patient,
            defaults={
                "colcap_pattern": [{"form": f, "side": s} for f, s in pattern],
                "primary_form": primary,
                "onset_date": ctx.today.replace(year=ctx.now.year - years, day=1),
                "has_tremor": tremor,
                "sensory_trick": trick,
                "allergies": "None known" if index % 3 else "Penicillin (rash)",
                "relevant_history": "Synthetic demo record.",
                "treating_clinician": clinicians[index % len(clinicians)] if clinicians else None,
            },
        )


def seed(ctx: DemoContext) -> None:
    seed_identity(ctx)
    seed_clinical(ctx)
