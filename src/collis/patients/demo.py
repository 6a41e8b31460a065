from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.demo.context import DemoContext
from collis.patients.models import Patient

DEMO_PATIENT_COUNT = 40
PATIENT_LOGIN = ("patient", "collis-patient-demo")


def seed(ctx: DemoContext) -> None:
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
