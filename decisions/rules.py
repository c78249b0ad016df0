"""The "when to share" rules: the policy's section 3 and its flowchart, as a pure function.

``decide(facts)`` takes the facts known so far and returns the outcome: share, withhold,
seek_advice (ask the local authority without giving personal details) or need_information
(with the absent facts, the next question first). No database, no request: the wizard and
``manage.py decide`` both call it, and its contract is ``shared/domain/decision-engine.md``.

Each rule is written as plain code that *asks* for facts. Asking for a fact that is absent
stops the evaluation; ``decide`` then explores every answer that fact could have, in the
order the values are listed, to list every fact that may still be needed, in the order the
questions would be asked.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

RULESET = "2024-11.1"

SHARE = "share"
WITHHOLD = "withhold"
SEEK_ADVICE = "seek_advice"
NEED_INFORMATION = "need_information"

NOTIFY_POLICE = "notify_police"

LABELS = {
    SHARE: "Share",
    WITHHOLD: "Do not share",
    SEEK_ADVICE: "Ask the local authority for advice",
    NEED_INFORMATION: "More information needed",
}


def departs(recommendation: str, final: str) -> bool:
    """Whether a final decision goes against a share/withhold recommendation (a recommendation
    to seek advice or gather information has nothing to depart from)."""
    return recommendation in (SHARE, WITHHOLD) and final != recommendation


REQUESTERS = (
    "person",
    "person_asks_to_share",
    "attorney_or_deputy",
    "family_carer_friend",
    "professional",
    "safeguarding",
    "court",
    "duty_of_candour",
)
BOOLEAN = (True, False)

# Every fact the engine knows, with its allowed values in the order they are explored.
FACTS: dict[str, tuple] = {
    "requester": REQUESTERS,
    "legitimate_purpose": BOOLEAN,
    "person_has_capacity": BOOLEAN,
    "consent": ("given", "refused", "not_obtained"),
    "best_interests": BOOLEAN,
    "attorney_authority_covers_information": BOOLEAN,
    "attorney_deems_best_interests": BOOLEAN,
    "legal_requirement": BOOLEAN,
    "enquiry_or_investigation": BOOLEAN,
    "harm": ("serious", "unclear", "not_serious"),
    "criminal": BOOLEAN,
}


class InvalidFacts(ValueError):  # noqa: N818 - the name reads as the caller sees it
    """Facts the engine cannot take: names the field and the allowed values."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def _describe(values: tuple) -> str:
    return ", ".join("true" if v is True else "false" if v is False else v for v in values)


def validate(facts: object) -> dict:
    """The facts as a dict, or ``InvalidFacts`` naming the first offending field."""
    if not isinstance(facts, Mapping):
        raise InvalidFacts("facts", "facts must be a JSON object of fact names and values")
    for name, value in facts.items():
        if name not in FACTS:
            raise InvalidFacts(name, f"unknown fact {name!r}; known facts: {', '.join(FACTS)}")
        allowed = FACTS[name]
        # JSON true is not 1 and 1 is not true: compare types as well as values.
        if not any(type(value) is type(option) and value == option for option in allowed):
            raise InvalidFacts(
                name, f"{name} must be one of: {_describe(allowed)} (got {_json_repr(value)})"
            )
    if "requester" not in facts:
        raise InvalidFacts("requester", f"requester is required; one of: {_describe(REQUESTERS)}")
    return dict(facts)


def _json_repr(value) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


@dataclass
class Outcome:
    decision: str
    actions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    ruleset: str = RULESET

    def as_dict(self) -> dict:
        return {
            "decision": self.decision,
            "actions": list(self.actions),
            "missing": list(self.missing),
            "reasons": list(self.reasons),
            "ruleset": self.ruleset,
        }


class _Absent(Exception):  # noqa: N818 - control flow, never escapes this module
    def __init__(self, name: str):
        self.name = name


class _Evaluation:
    """One walk through the rules with a fixed set of facts."""

    def __init__(self, facts: Mapping):
        self.facts = facts
        self.reasons: list[str] = []
        self.actions: list[str] = []

    def ask(self, name: str):
        if name not in self.facts:
            raise _Absent(name)
        return self.facts[name]

    def because(self, reason: str) -> None:
        self.reasons.append(reason)

    def outcome(self, decision: str) -> Outcome:
        return Outcome(decision, actions=self.actions, reasons=self.reasons)

    # -- the rules, in the order of the contract --------------------------------------------

    def run(self) -> Outcome:
        requester = self.ask("requester")
        if requester == "person":
            self.because(
                "Rule 1 (policy section 3, sharing information with the person): the person is "
                "legally entitled to see any information held about them."
            )
            return self.outcome(SHARE)
        if requester == "court":
            self.because(
                "Rule 2 (policy section 3, requests from courts): if a court requests "
                "information for any reason, it must be provided."
            )
            return self.outcome(SHARE)
        if requester == "duty_of_candour":
            self.because(
                "Rule 2 (policy section 3, duty of candour): where the duty of candour applies, "
                "information must be shared with the relevant person."
            )
            return self.outcome(SHARE)
        if requester == "person_asks_to_share":
            return self.person_asks_to_share()
        if requester == "attorney_or_deputy":
            return self.attorney_or_deputy()
        if requester == "family_carer_friend":
            return self.consent_or_best_interests()
        if requester == "professional":
            return self.professional()
        return self.safeguarding()

    def person_asks_to_share(self) -> Outcome:
        if self.ask("consent") == "given":
            self.because(
                "Rule 3 (policy section 3, requests from the person to share information): the "
                "person has asked for this information to be shared and confirmed it on this "
                "occasion."
            )
            return self.outcome(SHARE)
        self.because(
            "Rule 3 (policy section 3, requests from the person to share information): sharing "
            "is information by information; the person has not confirmed on this occasion that "
            "they want it shared, and an earlier request is never assumed to still stand."
        )
        return self.outcome(WITHHOLD)

    def attorney_or_deputy(self) -> Outcome:
        section = "Rule 4 (policy section 3, requests from an attorney or deputy)"
        if self.ask("person_has_capacity"):
            self.because(
                f"{section}: the person has capacity to decide, so the attorney or deputy cannot "
                "act for them; the request is decided as one from family, carers or friends."
            )
            return self.consent_or_best_interests()
        if not self.ask("attorney_authority_covers_information"):
            self.because(
                f"{section}: the attorney's or deputy's verified legal authority does not cover "
                "this type of information; the request is decided as one from family, carers or "
                "friends."
            )
            return self.consent_or_best_interests()
        if not self.ask("attorney_deems_best_interests"):
            self.because(
                f"{section}: the attorney or deputy has not decided that seeing the information "
                "is in the person's best interests; the request is decided as one from family, "
                "carers or friends."
            )
            return self.consent_or_best_interests()
        self.because(
            f"{section}: the person lacks capacity, the attorney or deputy has decided that "
            "seeing the information is in the person's best interests, and has the legal "
            "authority to see this type of information, so the request is treated as the "
            "person's own."
        )
        return self.outcome(SHARE)

    def consent_or_best_interests(self) -> Outcome:
        section = "Rule 5 (policy section 3, requests from carers, family members and friends)"
        if not self.ask("legitimate_purpose"):
            self.because(
                f"{section}: there is no clear and legitimate purpose for sharing this "
                "information with this recipient."
            )
            return self.outcome(WITHHOLD)
        if self.ask("person_has_capacity"):
            consent = self.ask("consent")
            if consent == "given":
                self.because(f"{section}: the person has capacity and gives their consent.")
                return self.outcome(SHARE)
            self.because(
                f"{section}: the person has capacity and has "
                f"{'refused' if consent == 'refused' else 'not given'} their consent; "
                "information is shared only with consent."
            )
            return self.outcome(WITHHOLD)
        if self.ask("best_interests"):
            self.because(
                f"{section}: the person lacks capacity to consent and the service has decided, "
                "under the Mental Capacity Act 2005, that sharing is in their best interests."
            )
            return self.outcome(SHARE)
        self.because(
            f"{section}: the person lacks capacity to consent and sharing has not been found to "
            "be in their best interests under the Mental Capacity Act 2005."
        )
        return self.outcome(WITHHOLD)

    def professional(self) -> Outcome:
        if self.ask("legal_requirement"):
            self.because(
                "Rule 6 (policy section 3, requests from professionals and organisations): a "
                "law requires the service to share this information with this professional or "
                "organisation."
            )
            return self.outcome(SHARE)
        self.because(
            "Rule 6 (policy section 3, requests from professionals and organisations): there "
            "is no legal requirement to share, so the same rules apply as for carers, family "
            "members and friends."
        )
        return self.consent_or_best_interests()

    def safeguarding(self) -> Outcome:
        section = "Rule 7 (policy section 3, safeguarding)"
        if self.ask("enquiry_or_investigation"):
            self.because(
                f"{section}: a safeguarding enquiry or criminal investigation has begun, so the "
                "service must provide relevant information to the local authority or police as "
                "requested."
            )
            return self.outcome(SHARE)
        if self.ask("person_has_capacity"):
            agreed = self.ask("consent") == "given"
            if agreed:
                self.because(f"{section}: the person at risk consents to a concern being raised.")
        else:
            agreed = self.ask("best_interests")
            if agreed:
                self.because(
                    f"{section}: the person at risk lacks capacity and raising a concern is in "
                    "their best interests."
                )
        if not agreed:
            harm = self.ask("harm")
            if harm == "unclear":
                self.because(
                    f"{section}: consent is withheld or cannot be obtained and the seriousness "
                    "of the harm is not clear, so contact the local authority for advice, "
                    "without giving personal details."
                )
                return self.outcome(SEEK_ADVICE)
            if harm == "not_serious":
                self.because(
                    f"{section}: consent is withheld or cannot be obtained and the harm is not "
                    "serious, so the information is not shared without consent."
                )
                return self.outcome(WITHHOLD)
            self.because(
                f"{section}: consent is withheld or cannot be obtained, but neglect or abuse has "
                "caused or may cause serious harm, so the information must still be shared."
            )
        if self.ask("criminal"):
            self.actions.append(NOTIFY_POLICE)
            self.because(
                f"{section}: the abuse or neglect is or may be a criminal act, so the police "
                "should also be notified."
            )
        return self.outcome(SHARE)


def _still_needed(facts: dict) -> list[str]:
    """Every absent fact some answer path may still need, in the order they would be asked."""
    needed: list[str] = []
    pending = [facts]
    while pending:
        trial = pending.pop(0)
        try:
            _Evaluation(trial).run()
        except _Absent as absent:
            if absent.name not in needed:
                needed.append(absent.name)
            pending.extend({**trial, absent.name: value} for value in FACTS[absent.name])
    return needed


QUESTIONS = {
    "legitimate_purpose": "whether there is a clear and legitimate purpose for sharing",
    "person_has_capacity": "whether the person has capacity to decide about this sharing",
    "consent": "whether the person consents to this information going to this recipient, "
    "checked on this occasion",
    "best_interests": "whether sharing is in the person's best interests",
    "attorney_authority_covers_information": "whether the attorney's or deputy's verified "
    "authority covers this information",
    "attorney_deems_best_interests": "whether the attorney or deputy has decided that seeing "
    "the information is in the person's best interests",
    "legal_requirement": "whether a law requires sharing with this professional or organisation",
    "enquiry_or_investigation": "whether a safeguarding enquiry or criminal investigation has "
    "begun",
    "harm": "how serious the harm is",
    "criminal": "whether the abuse or neglect is or may be a criminal act",
}


def decide(facts: Mapping) -> Outcome:
    """The outcome for ``facts`` (validated first: raises ``InvalidFacts``)."""
    facts = validate(facts)
    try:
        return _Evaluation(facts).run()
    except _Absent:
        missing = _still_needed(facts)
        return Outcome(
            NEED_INFORMATION,
            missing=missing,
            reasons=[
                f"Policy section 3 (the 'when to share' flowchart): to decide, CareHub needs to "
                f"know {QUESTIONS[missing[0]]}."
            ],
        )
