from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent and capacity"

    def ready(self):
        from carehub import chronology, page_sections

        from .chronology import entries
        from .views import person_section

        page_sections.register(
            page_sections.PERSON,
            template="consent/_person_section.html",
            context=person_section,
            order=10,
        )
        chronology.register(entries)
