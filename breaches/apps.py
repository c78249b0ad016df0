from django.apps import AppConfig


class BreachesConfig(AppConfig):
    name = "breaches"
    verbose_name = "Breaches of confidentiality"

    def ready(self):
        from carehub import chronology, page_sections

        from .chronology import entries
        from .views import home_section

        page_sections.register(
            page_sections.HOME,
            template="breaches/_home_section.html",
            context=home_section,
            order=5,
        )
        chronology.register(entries)
