from django.urls import path

from . import views

app_name = "consent"

PERSON = "people/<uuid:person_id>/"

urlpatterns = [
    path(f"{PERSON}consents/new/", views.consent_new, name="consent_new"),
    path(
        f"{PERSON}consents/new-images/",
        views.consent_new,
        {"images": True},
        name="image_consent_new",
    ),
    path(f"{PERSON}consents/<uuid:record_id>/", views.consent_detail, name="consent_detail"),
    path(
        f"{PERSON}consents/<uuid:record_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(f"{PERSON}capacity/new/", views.capacity_new, name="capacity_new"),
    path(f"{PERSON}capacity/<uuid:record_id>/", views.capacity_detail, name="capacity_detail"),
    path(f"{PERSON}best-interests/new/", views.best_interests_new, name="best_interests_new"),
    path(
        f"{PERSON}best-interests/<uuid:record_id>/",
        views.best_interests_detail,
        name="best_interests_detail",
    ),
    path(f"{PERSON}representatives/new/", views.representative_new, name="representative_new"),
    path(
        f"{PERSON}representatives/<uuid:record_id>/",
        views.representative_detail,
        name="representative_detail",
    ),
    path(
        f"{PERSON}representatives/<uuid:record_id>/verify/",
        views.representative_verify,
        name="representative_verify",
    ),
    path(
        f"{PERSON}representatives/<uuid:record_id>/end/",
        views.representative_end,
        name="representative_end",
    ),
    path("consent/reviews/", views.review_list, name="review_list"),
]
