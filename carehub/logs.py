"""Logs without personal data. Requests are logged by path only (never the query string or the
body). What is left is the text of an exception: PostgreSQL quotes the values it refused, in the
message ('invalid input syntax for type uuid: "…"') and on DETAIL lines ('Key (service_id,
nhs_number)=(…, 943 476 5919) already exists'), and so do other errors ('"…" is not a valid
UUID'). This formatter keeps the traceback (its frames are CareHub's and its libraries' source,
never a person's details) and the kind of each error, and withholds the rest of its message
from the first quoted value on, and every line after it (a DETAIL, or a value that ran onto
more lines), up to the next traceback.
"""

import logging
import re

# A quoted name after one of these words is a database object's, kept for debugging; the first
# other quoted text is a value, and the message is withheld from there.
QUOTED = re.compile(r"(\b\w+ )?[\"']")
NAMES = {"constraint", "relation", "column", "table", "index", "type", "function", "schema"}
NAMED = re.compile(r"\b(?:" + "|".join(NAMES) + r") \"[\w.]*\"")
WITHHELD = "«withheld»"
NEW_TRACEBACK = ("Traceback (most recent call last):", "During handling", "The above exception")


def _message_withheld(line: str) -> str:
    """``line`` (an exception's "Type: message") with everything from its first quoted value
    on withheld; quoted names of database objects before it are kept."""
    position = 0
    while match := QUOTED.search(line, position):
        named = NAMED.match(line, match.start())
        if named is None:
            return line[: match.end() - 1] + WITHHELD
        position = named.end()
    return line


def redact(text: str) -> str:
    lines, in_traceback, after_exception = [], False, False
    for line in text.splitlines():
        if line.startswith(NEW_TRACEBACK):
            in_traceback, after_exception = True, False
        elif in_traceback and not after_exception and line and not line[0].isspace():
            line, after_exception = _message_withheld(line), True  # the exception's own line
        elif after_exception and line.strip():
            line = WITHHELD
        lines.append(line)
    return "\n".join(lines)


class WithoutPersonalData(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # The whole text, so that a traceback another handler formatted first (and cached on
        # the record) is redacted too.
        return redact(super().format(record))
