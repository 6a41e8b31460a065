"""The starting home-programme library, from the clinic's self-care handout (education app,
home-exercises-heat-massage.md), in English and Spanish.

The Spanish texts are the clinic's own translation [U] (no published Spanish version of this
handout exists; clinical.md cites none): plain language, medically the same as the English. A
medical translator should review them before clinical use.
"""

from __future__ import annotations

# slug, name, kind, instructions, caution
EXERCISES = [
    (
        "chin-tuck",
        "Chin tuck",
        "stretch",
        "Sit tall and gently draw the chin straight back (a 'double chin'). Hold 5 seconds, relax.",
        "Stop if it causes sharp pain.",
    ),
    (
        "turn-away",
        "Turn away from the pull",
        "stretch",
        "Slowly turn your head away from the side it turns toward, only as far as is comfortable. "
        "Hold 20–30 seconds.",
        "Stop if it causes sharp pain.",
    ),
    (
        "side-bend",
        "Side bend",
        "stretch",
        "Bring the ear away from the shoulder it tilts toward. Hold 20–30 seconds.",
        "",
    ),
    (
        "shoulder-rolls",
        "Shoulder rolls",
        "relaxation",
        "Roll both shoulders back and down, slowly, to relax a raised shoulder.",
        "",
    ),
    (
        "isometric-resistance",
        "Resisted turn (isometric)",
        "strength",
        "Place your hand on your cheek on the side away from the pull and gently push your head "
        "into your hand without moving. Hold 5 seconds. Little and often works better.",
        "",
    ),
    (
        "heat-pack",
        "Warm pack on neck and shoulders",
        "heat",
        "A warm pack or shower on the neck and shoulders for 15–20 minutes.",
        "Check the temperature so it cannot burn your skin.",
    ),
    (
        "gentle-massage",
        "Gentle neck and shoulder massage",
        "massage",
        "Gentle massage of the neck and shoulder muscles by a therapist, a family member or "
        "yourself.",
        "Avoid deep pressure over the front of the neck.",
    ),
]


# slug -> Spanish (name, instructions, caution): the clinic's own translation [U], issue #17.
EXERCISES_ES: dict[str, tuple[str, str, str]] = {
    "chin-tuck": (
        "Meter la barbilla",
        "Siéntese derecho y lleve suavemente la barbilla recta hacia atrás (como si hiciera "
        "papada). Mantenga 5 segundos y relájese.",
        "Pare si le causa un dolor agudo.",
    ),
    "turn-away": (
        "Girar en contra del tirón",
        "Gire la cabeza despacio hacia el lado contrario al que se le va, solo hasta donde le "
        "resulte cómodo. Mantenga 20–30 segundos.",
        "Pare si le causa un dolor agudo.",
    ),
    "side-bend": (
        "Inclinación lateral",
        "Aleje la oreja del hombro hacia el que se le inclina la cabeza. Mantenga 20–30 segundos.",
        "",
    ),
    "shoulder-rolls": (
        "Círculos con los hombros",
        "Lleve los dos hombros hacia atrás y hacia abajo, despacio, para relajar un hombro que "
        "se le sube.",
        "",
    ),
    "isometric-resistance": (
        "Giro contra resistencia (isométrico)",
        "Ponga la mano en la mejilla del lado contrario al tirón y empuje suavemente la cabeza "
        "contra la mano, sin moverla. Mantenga 5 segundos. Es mejor poco y a menudo.",
        "",
    ),
    "heat-pack": (
        "Compresa caliente en el cuello y los hombros",
        "Una compresa caliente o una ducha caliente en el cuello y los hombros durante "
        "15–20 minutos.",
        "Compruebe la temperatura para que no le queme la piel.",
    ),
    "gentle-massage": (
        "Masaje suave de cuello y hombros",
        "Masaje suave de los músculos del cuello y los hombros, hecho por un terapeuta, un "
        "familiar o usted mismo.",
        "Evite presionar fuerte en la parte delantera del cuello.",
    ),
}


def fill_spanish(exercise) -> bool:  # noqa: ANN001 (diary.Exercise or its migration model)
    """Give a library exercise its Spanish text when it has none and its English is still the
    library's (a clinic's edited English is not silently paired with an old translation)."""
    english = {e[0]: e for e in EXERCISES}.get(exercise.slug)
    spanish = EXERCISES_ES.get(exercise.slug)
    if english is None or spanish is None or exercise.name_es:
        return False
    if (exercise.name, exercise.instructions) != (english[1], english[3]):
        return False
    exercise.name_es, exercise.instructions_es, exercise.caution_es = spanish
    exercise.save(update_fields=["name_es", "instructions_es", "caution_es"])
    return True


def ensure_exercise_library() -> None:
    """Create any library exercise that is missing (with its Spanish); existing (edited) ones
    are left alone, except that an untranslated library exercise gets its Spanish text."""
    from collis.diary.models import Exercise

    for slug, name, kind, instructions, caution in EXERCISES:
        exercise, _created = Exercise.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "instructions": instructions, "caution": caution},
        )
        fill_spanish(exercise)
