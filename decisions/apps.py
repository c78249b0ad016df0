from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Sharing decisions"

    def ready(self):
        from carehub import chronology, page_sections

        from .chronology import entries
        from .views import person_section

        page_sections.register(
            page_sections.PERSON,
            template="decisions/_person_section.html",
            context=person_section,
            order=5,
        )
        chronology.register(entries)
