from datetime import time

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.demo.context import DemoContext
from collis.providers.models import Clinic, Clinician, Language, Location, OpeningHours, Specialty

CLINICIAN_PASSWORD = "collis-clinician-demo"  # noqa: S105

SPECIALTIES = [
    (
        "physiatry",
        "Physiatry (PM&R)",
        "Physical medicine and rehabilitation: injections, function, pain.",
    ),
    (
        "movement-disorders",
        "Movement-disorders neurology",
        "Neurologists trained in dystonia and tremor.",
    ),
    ("physical-therapy", "Physical therapy", "Exercise, stretching and posture retraining."),
]
LOCATIONS = [
    ("downtown", "Downtown Clinic", "1200 Lakeshore Avenue, Suite 400", "Chicago", "IL", "60601"),
    ("north-campus", "North Campus", "85 Maple Ridge Road", "Evanston", "IL", "60201"),
]
# slug, name, credentials, title, specialties, locations, languages, new patients, bio
CLINICIANS = [
    (
        "dr-maya-okafor",
        "Dr. Maya Okafor",
        "MD",
        "Movement-disorders neurologist",
        ["movement-disorders"],
        ["downtown"],
        ["English", "Igbo"],
        True,
        "Dr. Okafor leads the botulinum toxin programme and uses EMG and ultrasound guidance.",
    ),
    (
        "dr-lucas-brennan",
        "Dr. Lucas Brennan",
        "DO",
        "Physiatrist",
        ["physiatry"],
        ["downtown", "north-campus"],
        ["English", "Spanish"],
        True,
        "Dr. Brennan treats cervical dystonia and spasticity with ultrasound-guided injections.",
    ),
    (
        "dr-hannah-lindqvist",
        "Dr. Hannah Lindqvist",
        "MD, PhD",
        "Movement-disorders neurologist",
        ["movement-disorders"],
        ["north-campus"],
        ["English", "Swedish"],
        False,
        "Dr. Lindqvist studies head tremor and sees patients considering deep brain stimulation.",
    ),
    (
        "dr-rafael-soto",
        "Dr. Rafael Soto",
        "MD",
        "Physiatrist",
        ["physiatry"],
        ["north-campus"],
        ["English", "Spanish", "Portuguese"],
        True,
        "Dr. Soto focuses on pain and function in neck dystonia and on return to work.",
    ),
    (
        "priya-nair-dpt",
        "Priya Nair",
        "PT, DPT",
        "Physical therapist",
        ["physical-therapy"],
        ["downtown"],
        ["English", "Hindi"],
        True,
        "Priya designs home programmes of stretches and strengthening for dystonia.",
    ),
    (
        "tom-becker-pt",
        "Tom Becker",
        "PT",
        "Physical therapist",
        ["physical-therapy"],
        ["north-campus"],
        ["English", "German"],
        True,
        "Tom works on posture, sensory tricks and pain relief with heat and manual therapy.",
    ),
]
CONDITIONS = "Cervical dystonia\nHead tremor\nBlepharospasm\nSpasticity"


def seed(ctx: DemoContext) -> None:
    clinic, _ = Clinic.objects.get_or_create(
        pk=1,
        defaults={
            "name": "Lakeshore Dystonia Center",
            "tagline": "Specialist care for cervical dystonia and head tremor.",
            "phone": "(312) 555-0142",
            "email": "hello@lakeshore-dystonia.invalid",
            "about": (
                "Neurologists, physiatrists and physical therapists working together: "
                "botulinum toxin injections every cycle, objective posture measurement and a home "
                "programme you can follow."
            ),
        },
    )
    specialties = {
        slug: Specialty.objects.get_or_create(slug=slug, defaults={"name": name, "description": d})[
            0
        ]
        for slug, name, d in SPECIALTIES
    }
    locations = {}
    for slug, name, street, city, region, postal in LOCATIONS:
        location, created = Location.objects.get_or_create(
            slug=slug,
            defaults={
                "clinic": clinic,
                "name": name,
                "street": street,
                "city": city,
                "region": region,
                "postal_code": postal,
                "phone": clinic.phone,
                "directions": "Step-free entrance; parking garage next door.",
            },
        )
        if created:
            for weekday in range(5):
                OpeningHours.objects.create(
                    location=location, weekday=weekday, opens=time(8), closes=time(17)
                )
        locations[slug] = location
    for slug, name, creds, title, specs, locs, langs, new_patients, bio in CLINICIANS:
        first, last = name.replace("Dr. ", "").split(" ", 1)
        username = slug.replace("dr-", "dr.").replace("-dpt", "").replace("-pt", "")
        user = ensure_user_with_role(
            username,
            Role.CLINICIAN,
            password=CLINICIAN_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@collis.invalid",
        )
        clinician, created = Clinician.objects.get_or_create(
            slug=slug,
            defaults={
                "user": user,
                "display_name": name,
                "credentials": creds,
                "title": title,
                "bio": bio,
                "conditions_treated": CONDITIONS,
                "accepting_new_patients": new_patients,
            },
        )
        if created:
            clinician.specialties.set([specialties[s] for s in specs])
            clinician.locations.set([locations[s] for s in locs])
            clinician.languages.set([Language.objects.get_or_create(name=n)[0] for n in langs])
    first_clinician_username = CLINICIANS[0][0].replace("dr-", "dr.")
    ctx.logins.append(("clinician", first_clinician_username, CLINICIAN_PASSWORD))
