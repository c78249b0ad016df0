from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import passkeys, views
from .admin import admin_site
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
            extra_context={"lockout_limit": settings.AXES_FAILURE_LIMIT},
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/code/", views.two_step_verify, name="two_step_verify"),
    path("sign-in/set-up/", views.two_step_setup, name="two_step_setup"),
    path("sign-in/set-up/qr.svg", views.two_step_qr, name="two_step_qr"),
    path("sign-in/confirm/", views.confirm_identity, name="confirm_identity"),
    path("sign-in/security/", views.sign_in_security, name="sign_in_security"),
    path(
        "sign-in/passkeys/add/begin/",
        passkeys.BeginRegistration.as_view(),
        name="passkey_registration_begin",
    ),
    path(
        "sign-in/passkeys/add/complete/",
        passkeys.CompleteRegistration.as_view(),
        name="passkey_registration_complete",
    ),
    path(
        "sign-in/passkeys/use/begin/",
        passkeys.BeginAuthentication.as_view(),
        name="passkey_authentication_begin",
    ),
    path(
        "sign-in/passkeys/use/complete/",
        passkeys.CompleteAuthentication.as_view(),
        name="passkey_authentication_complete",
    ),
    path("sign-in/passkeys/messages.js", passkeys.translations, name="passkey_translations"),
    path("hide-screen/", views.hide_screen, name="hide_screen"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("people/", views.person_list, name="person_list"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/chronology/", views.person_chronology, name="person_chronology"),
    path("", include("consent.urls")),
    path("", include("decisions.urls")),
    path("", include("breaches.urls")),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.<str:fmt>", views.audit_trail_export, name="audit_trail_export"),
    path("admin/", admin_site.urls),
]

handler500 = "carehub.middleware.server_error"
