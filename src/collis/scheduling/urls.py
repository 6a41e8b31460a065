from django.urls import path

from collis.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("book/", views.book_start, name="book-start"),
    path("book/choose/", views.book_choose, name="book-choose"),
    path("book/slots/", views.book_slots, name="book-slots"),
    path("book/details/", views.book_details, name="book-details"),
    path("book/waitlist/", views.book_waitlist, name="book-waitlist"),
    path("appointments/<str:token>/", views.appointment_manage, name="appointment-manage"),
    path("appointments/<str:token>/cancel/", views.appointment_cancel, name="appointment-cancel"),
    path(
        "appointments/<str:token>/reschedule/",
        views.appointment_reschedule,
        name="appointment-reschedule",
    ),
    path(
        "appointments/<str:token>/appointment.ics",
        views.appointment_ics_download,
        name="appointment-ics",
    ),
    path("calendar/feeds/<str:token>.ics", views.clinician_feed, name="clinician-feed"),
    path("desk/", views.desk_calendar, name="desk-calendar"),
    path("desk/book/", views.desk_book, name="desk-book"),
    path("desk/book/new-patient/", views.desk_new_patient, name="desk-new-patient"),
    path("desk/appointments/<int:pk>/", views.desk_appointment, name="desk-appointment"),
    path("desk/appointments/<int:pk>/status/", views.desk_status, name="desk-status"),
    path(
        "desk/appointments/<int:pk>/status/undo/",
        views.desk_status_undo,
        name="desk-status-undo",
    ),
    path("desk/appointments/<int:pk>/move/", views.desk_move, name="desk-move"),
    path("desk/appointments/<int:pk>/cancel/", views.desk_cancel, name="desk-cancel"),
    path("desk/recalls/", views.desk_recalls, name="desk-recalls"),
    path(
        "desk/recalls/<int:pk>/<slug:action>/",
        views.desk_recall_action,
        name="desk-recall-action",
    ),
    path("desk/feed/", views.desk_feed, name="desk-feed"),
    path("desk/waitlist/", views.desk_waitlist, name="desk-waitlist"),
    path("desk/waitlist/<int:pk>/offer/", views.desk_waitlist_offer, name="desk-waitlist-offer"),
    path("waitlist/offers/<str:token>/", views.waitlist_offer, name="waitlist-offer"),
]
