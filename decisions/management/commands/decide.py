"""``python manage.py decide [--file PATH]``: run the sharing rules on JSON facts.

Reads one JSON object of facts, or an array of them, from the file or standard input, and
writes the outcome (or an array of outcomes, in order) as JSON. Bad input exits with status 2,
nothing on standard output and one line on standard error naming the field. Needs no database
(``manage.py`` runs it with ``carehub.settings_offline``).
"""

import json
import sys

from django.core.management.base import BaseCommand

from decisions import rules

EXIT_BAD_INPUT = 2


class BadInput(Exception):  # noqa: N818
    pass


class Command(BaseCommand):
    help = "Decide whether to share, from JSON facts (see shared/domain/decision-engine.md)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--file", help="read the facts from this file (default: stdin)")

    def handle(self, *args, file=None, **options):
        try:
            text = self._read(file)
            outcome = self._decide(self._parse(text))
        except BadInput as error:
            self.stderr.write(f"decide: {error}")
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(json.dumps(outcome, indent=2))

    def _read(self, file) -> str:
        if file is None:
            return sys.stdin.read()
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read()
        except OSError as error:
            raise BadInput(f"cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise BadInput(f"{file} is not UTF-8 text") from None

    def _parse(self, text: str):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise BadInput(
                f"input is not valid JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}); give one JSON object of facts or an array of them"
            ) from None

    def _decide(self, data):
        if isinstance(data, list):
            outcomes = []
            for index, facts in enumerate(data):
                try:
                    outcomes.append(rules.decide(facts).as_dict())
                except rules.InvalidFacts as error:
                    raise BadInput(f"element {index}: {error}") from None
            return outcomes
        try:
            return rules.decide(data).as_dict()
        except rules.InvalidFacts as error:
            raise BadInput(str(error)) from None
