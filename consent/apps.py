from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent and capacity"

    def ready(self):
        from carehub import page_sections

        from .views import person_section

        page_sections.register(
            page_sections.PERSON,
            template="consent/_person_section.html",
            context=person_section,
            order=10,
        )
