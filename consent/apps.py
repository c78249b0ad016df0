from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent and capacity"

    def ready(self):
        from carehub import person_page

        from .views import person_section

        person_page.register(
            template="consent/_person_section.html", context=person_section, order=10
        )
