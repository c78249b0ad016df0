from django.apps import AppConfig


class CarehubConfig(AppConfig):
    name = "carehub"
    verbose_name = "CareHub core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import mfa

        # A password sign-in counts as proving who one is (for users with no second step;
        # for the rest, the code marks it again).
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: mfa.mark_authenticated(request),
            weak=False,
            dispatch_uid="carehub.mfa.mark_authenticated",
        )
