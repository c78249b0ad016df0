from django.urls import path

from . import views

app_name = "decisions"

REQUEST = "requests/<uuid:request_id>/"
DECISION = "decisions/<uuid:decision_id>/"

urlpatterns = [
    path("people/<uuid:person_id>/requests/new/", views.request_new, name="request_new"),
    path("requests/", views.my_requests, name="my_requests"),
    path(REQUEST, views.request_detail, name="request_detail"),
    path(f"{REQUEST}questions/<slug:fact>/", views.question, name="question"),
    path(f"{REQUEST}check/", views.check, name="check"),
    path(f"{REQUEST}advice/", views.advice, name="advice"),
    path(f"{REQUEST}decide/", views.decide, name="decide"),
    path("decisions/queue/", views.queue, name="queue"),
    path("decisions/", views.history, name="history"),
    path("decisions/export.<str:fmt>", views.history_export, name="history_export"),
    path(DECISION, views.decision_detail, name="decision_detail"),
    path(f"{DECISION}addenda/new/", views.addendum_new, name="addendum_new"),
    path(f"{DECISION}sign-off/", views.sign_off, name="sign_off"),
    path(f"{DECISION}police/", views.police, name="police"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_edit, name="agreement_new"),
    path("agreements/<uuid:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
]
