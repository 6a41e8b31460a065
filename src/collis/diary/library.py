"""The starting home-programme library, from the clinic's self-care handout (education app,
home-exercises-heat-massage.md)."""

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


def ensure_exercise_library() -> None:
    """Create any library exercise that is missing; existing (edited) ones are left alone."""
    from collis.diary.models import Exercise

    for slug, name, kind, instructions, caution in EXERCISES:
        Exercise.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "instructions": instructions, "caution": caution},
        )
