"""Logs without personal data. Requests are logged by path only (never the query string or the
body). What is left is the text of an exception: PostgreSQL quotes the values it refused, in the
message ('invalid input syntax for type uuid: "…"') and on DETAIL lines ('Key (service_id,
nhs_number)=(…, 943 476 5919) already exists'). This formatter keeps the traceback and the
kind of error, and withholds those values."""

import logging
import re

DATABASE_ERROR = re.compile(r"^(django\.db\.utils|psycopg\.errors|psycopg)\.\w+: ")
# A quoted name after one of these words is a database object's name, kept for debugging;
# any other quoted text is a value, withheld.
QUOTED = re.compile(r"(\b\w+ )?(\"[^\"]*\"|'[^']*')")
NAMES = {"constraint", "relation", "column", "table", "index", "type", "function", "schema"}
WITHHELD = "«withheld»"


def _value_withheld(match: re.Match) -> str:
    word = (match.group(1) or "").strip()
    return match.group(0) if word in NAMES else (match.group(1) or "") + WITHHELD


def redact(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("DETAIL:", "HINT:", "CONTEXT:", "LINE ")):
            line = line[: len(line) - len(stripped)] + stripped.split(":")[0] + f": {WITHHELD}"
        elif DATABASE_ERROR.match(stripped):
            line = QUOTED.sub(_value_withheld, line)
        lines.append(line)
    return "\n".join(lines)


class WithoutPersonalData(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 - logging.Formatter names it so
        return redact(super().formatException(ei))
