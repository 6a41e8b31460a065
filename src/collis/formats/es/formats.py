"""Spanish formats, over Django's es ones, for issue #17.

Django's es formats render a date field's value as 31/12/2026 first; browsers' <input type="date">
(and "datetime-local") only accept ISO values, so a Spanish page showed the diary's "today" as
empty and refused to save. ISO comes first here; typed Spanish dates still parse.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
]
