"""Online booking, the front-desk calendar, injection-cycle recall, waitlist and reminders.

``slots.py`` is the pure core (no Django): free slots from hours, exceptions and bookings,
correct across daylight-saving changes. The ``actions`` package holds the writes (booking,
changes, the placement step they share, recall, waitlist, calendar feeds); views, the API, admin,
jobs and commands call it. Imports point down: this app uses ``patients``, ``providers``,
``accounts``, ``audit``, ``jobs`` and ``lib``. Above it, ``injections`` records each injection's
recall through ``actions.record_injection_cycle``; ``chart``, ``api`` and ``interop`` read it.
"""
