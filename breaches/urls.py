from django.urls import path

from . import views

app_name = "breaches"

BREACH = "breaches/<uuid:breach_id>/"

urlpatterns = [
    path("breaches/report/", views.report_start, name="report_start"),
    path("breaches/report/people/", views.report_people, name="report_people"),
    path("breaches/report/check/", views.report_check, name="report_check"),
    path("breaches/mine/", views.mine, name="mine"),
    path("breaches/", views.register, name="register"),
    path("breaches/register.csv", views.register_csv, name="register_csv"),
    path(
        "breaches/confidential-reporters/",
        views.confidential_reporters,
        name="confidential_reporters",
    ),
    path(BREACH, views.detail, name="detail"),
    path(f"{BREACH}submitted/", views.submitted, name="submitted"),
    path(f"{BREACH}assess/", views.assess, name="assess"),
    path(f"{BREACH}ico/", views.ico, name="ico"),
    path(f"{BREACH}people-told/", views.people_told, name="people_told"),
    path(f"{BREACH}actions/new/", views.action_new, name="action_new"),
    path(f"{BREACH}close/", views.close, name="close"),
]
