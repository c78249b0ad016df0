from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Sharing decisions"

    def ready(self):
        from carehub import person_page

        from .views import person_section

        person_page.register(
            template="decisions/_person_section.html", context=person_section, order=5
        )
