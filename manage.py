#!/usr/bin/env python
"""Django's command-line utility for CareHub."""

import os
import sys

# Commands that work without a database or secrets, e.g. for auditors checking the rules.
OFFLINE_COMMANDS = {"decide"}


def main() -> None:
    offline = len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS
    settings = "carehub.settings_offline" if offline else "carehub.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
