from ninja import Schema


class SpecialtyOut(Schema):
    slug: str
    name: str


class LocationOut(Schema):
    slug: str
    name: str
    address: str
    phone: str


class ClinicianOut(Schema):
    slug: str
    display_name: str
    credentials: str
    title: str
    specialties: list[SpecialtyOut]
    locations: list[str]
    languages: list[str]
    accepting_new_patients: bool
