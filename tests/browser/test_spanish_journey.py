"""A Spanish-speaking patient, end to end in Spanish (issue #17): condition page -> book ->
confirmation email and .ics -> reschedule from the emailed link -> sign in -> diary -> home
programme. The browser only says it prefers Spanish (Accept-Language); nothing is clicked to
choose it, except the switcher on a fresh device to check it is a real form."""

from __future__ import annotations

import re

from django.core import mail
from icalendar import Calendar
from playwright.sync_api import Browser, expect

ENGLISH = re.compile(r"\b(Book an appointment|Sign in|Your appointment|Pick a time|Continue)\b")


def _no_english_chrome(page) -> None:
    assert not ENGLISH.search(page.locator("body").inner_text()), page.url


def test_spanish_patient_reads_books_reschedules_and_keeps_the_diary(browser: Browser, site):
    context = browser.new_context(locale="es-ES", extra_http_headers={"Accept-Language": "es"})
    page = context.new_page()

    # Read the condition page.
    page.goto(site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Enfermedades"
    ).click()
    page.get_by_role("link", name=re.compile("Distonía cervical")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Distonía cervical (tortícolis espasmódica)"
    )
    expect(page.get_by_test_id("translation-note")).to_be_visible()
    _no_english_chrome(page)

    # Book.
    page.get_by_role("link", name="Pedir cita por internet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pedir una cita")
    page.get_by_label("Injection follow-up").check()
    page.get_by_role("button", name="Continuar").click()
    page.get_by_label("El primero disponible").check()
    page.get_by_label("Cualquier centro").check()
    page.get_by_role("button", name="Ver horas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elija una hora")
    _no_english_chrome(page)
    # A time days ahead, so it can still be changed online.
    page.get_by_role("link", name="Días siguientes →").click()
    page.locator(".slot-list a").first.click()
    page.get_by_label("Nombre").fill("Rosa")
    page.get_by_label("Apellido").fill("Díaz")
    page.get_by_label("Correo electrónico").fill("rosa@example.com")
    page.get_by_label("Fecha de nacimiento").fill("1971-02-03")
    page.get_by_role("button", name="Reservar esta hora").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Su cita está reservada|Solicitud recibida")
    )
    _no_english_chrome(page)

    # The confirmation email and calendar file, in Spanish.
    [email] = [m for m in mail.outbox if m.to == ["rosa@example.com"]]
    assert email.subject.startswith(("Su cita está", "Recibimos su solicitud"))
    assert "Hola, Rosa Díaz:" in email.body and "Para cancelar o cambiar la hora" in email.body
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d+ de ", email.body)
    event = next(
        c for c in Calendar.from_ical(email.attachments[0][1]).walk() if c.name == "VEVENT"
    )
    assert " con " in str(event["SUMMARY"])
    assert str(event["DESCRIPTION"]).startswith("Cancelar o cambiar la hora:")
    link = re.search(r"http://\S+/appointments/\S+\?lang=es", email.body).group(0)
    context.close()

    # Reschedule from the link, on a device that never chose a language.
    other = browser.new_context(locale="en-US")
    page = other.new_page()
    page.goto(site.url + link.split("8000", 1)[1] if "8000" in link else link)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Cambiar la hora").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cambiar la hora de su cita")
    page.locator("input[name=start]").nth(1).check()
    page.get_by_role("button", name="Cambiar mi cita").click()
    expect(page.get_by_text("Su cita cambió de hora.")).to_be_visible()
    _no_english_chrome(page)

    # The switcher is a real form: English, then back to Spanish.
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("language-es").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    # Sign in, keep the diary, open the home programme.
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("Usuario").fill("patient")
    page.get_by_label("Contraseña").fill("collis-patient-demo")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hola, "))
    page.get_by_role("link", name="Anote cómo se siente hoy").click()
    page.get_by_role("group", name=re.compile("tirón o el giro")).get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("Cuánto dolor")).get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Guardar mi anotación").click()
    expect(page.get_by_text("Gracias: su anotación del diario está guardada.")).to_be_visible()
    page.get_by_role("link", name="Ejercicios en casa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis ejercicios en casa")
    _no_english_chrome(page)
    other.close()
