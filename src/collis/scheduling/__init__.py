"""Online booking, the front-desk calendar, injection-cycle recall, waitlist and reminders.

``slots.py`` is the pure core (no Django): free slots from hours, exceptions and bookings,
correct across daylight-saving changes. ``actions.py`` is the only code that writes; views, the
API, admin, jobs and commands all call it. Imports point inward: this app uses ``patients``,
``providers``, ``audit`` and ``jobs``; nothing there imports it.
"""
