"""What a decision-history export holds (see ``carehub.exports`` for how it is streamed)."""

from django.db.models import F, Value
from django.db.models.functions import Concat

from carehub.exports import Columns

COLUMNS = Columns(
    {
        "decision_id": F("id"),
        "decided_at": F("decided_at"),
        "service": F("person__service__name"),
        "person_id": F("person_id"),
        "person_name": Concat("person__given_name", Value(" "), "person__family_name"),
        "route": F("request__route"),
        "information": F("request__information_category"),
        "recommendation": F("recommendation"),
        "decision": F("final"),
        "departure_justification": F("departure_justification"),
        "rationale": F("rationale"),
        "needs_sign_off": F("needs_sign_off"),
        "signed_off": F("sign_off__outcome"),
        "decided_by": F("decided_by__username"),
        "ruleset": F("ruleset"),
    },
    timestamps=frozenset({"decided_at"}),
)
