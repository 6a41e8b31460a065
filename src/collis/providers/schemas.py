from ninja import Field, Schema


class SpecialtyOut(Schema):
    slug: str = Field(examples=["movement-disorders"])
    name: str = Field(examples=["Movement disorders neurology"])


class LocationOut(Schema):
    slug: str = Field(examples=["downtown"])
    name: str = Field(examples=["Downtown clinic"])
    address: str = Field(examples=["1 Main St, Chicago, IL 60601"])
    phone: str = Field(examples=["(312) 555-0100"])


class ClinicianOut(Schema):
    slug: str = Field(examples=["dr-maya-okafor"])
    display_name: str = Field(examples=["Dr. Maya Okafor"])
    credentials: str = Field(examples=["MD"])
    title: str = Field(examples=["Movement disorders neurologist"])
    specialties: list[SpecialtyOut]
    locations: list[str] = Field(description="Location slugs", examples=[["downtown"]])
    languages: list[str] = Field(examples=[["English", "Spanish"]])
    accepting_new_patients: bool
