"""Web pages of the dialogue capability (mounted at /dialogue/)."""

from django.urls import path

from accord.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.record_meeting, name="record-meeting"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/actions/", views.add_action, name="add-action"),
    path("actions/", views.action_list, name="actions"),
    path("actions/overdue/", views.overdue, name="overdue"),
    path("actions/<int:action_id>/status/", views.action_status, name="action-status"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/new/", views.new_invitation, name="new-invitation"),
    path("invitations/new/check/", views.check_invitation, name="check-invitation"),
    path("invitations/<int:invitation_id>/sent/", views.invitation_sent, name="invitation-sent"),
    path("invitations/<int:invitation_id>/state/", views.move_invitation, name="move-invitation"),
    path("exercises/", views.exercises, name="exercises"),
    path("exercises/new/", views.new_exercise, name="new-exercise"),
    path("exercises/new/check/", views.check_exercise, name="check-exercise"),
    path("exercises/<slug:code>/recorded/", views.exercise_recorded, name="exercise-recorded"),
    path("exercises/<slug:code>/offer/", views.offer, name="offer"),
    path("offers/<int:offer_id>/answer/", views.answer_offer, name="answer-offer"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar-feed"),
]
