"""The wizard's questions: one per engine fact, in plain English, with legal terms explained.

Which question comes next is never decided here: the engine's ``missing[0]`` says. This module
only says how to ask it, and replays the answers to find the path taken.
"""

from dataclasses import dataclass

from . import rules

YES_NO = [(True, "Yes"), (False, "No")]


@dataclass(frozen=True)
class Question:
    fact: str
    text: str
    hint: str
    choices: list[tuple]

    def label_for(self, value) -> str:
        return next((label for choice, label in self.choices if choice == value), str(value))


QUESTIONS = {
    q.fact: q
    for q in [
        Question(
            "legitimate_purpose",
            "Is there a clear and legitimate purpose for sharing this information with this "
            "person or organisation?",
            "A legitimate purpose is a real need connected with the person's care, safety or "
            "rights, such as helping a family member support them at an appointment. Curiosity "
            "is not a purpose.",
            YES_NO,
        ),
        Question(
            "person_has_capacity",
            "Does the person have the mental capacity to decide about this sharing?",
            "Assume they do unless a capacity assessment for this decision shows otherwise "
            "(Mental Capacity Act 2005). An unwise decision is not a lack of capacity.",
            [(True, "Yes, they can decide"), (False, "No, they lack capacity for this decision")],
        ),
        Question(
            "consent",
            "Does the person consent to this information being shared with this recipient?",
            "Ask them now, about this information and this recipient. Consent given before, or "
            "for other information or someone else, does not count.",
            [
                ("given", "Yes, they consent"),
                ("refused", "No, they refuse"),
                ("not_obtained", "Consent could not be obtained"),
            ],
        ),
        Question(
            "best_interests",
            "Has the service decided that sharing is in the person's best interests?",
            "A best-interests decision under the Mental Capacity Act 2005 considers the person's "
            "wishes, feelings, beliefs and values, and consults family, carers and any attorney.",
            [(True, "Yes, sharing is in their best interests"), (False, "No")],
        ),
        Question(
            "attorney_authority_covers_information",
            "Does the attorney's or deputy's verified authority cover this type of information?",
            "A Lasting Power of Attorney must be registered with the Office of the Public "
            "Guardian; a deputy's authority is set by the Court of Protection order. A property "
            "and financial affairs power does not cover health or care information.",
            YES_NO,
        ),
        Question(
            "attorney_deems_best_interests",
            "Has the attorney or deputy decided that seeing the information is in the person's "
            "best interests?",
            "They must act in the person's best interests, not their own.",
            YES_NO,
        ),
        Question(
            "legal_requirement",
            "Does a law require us to share this information with this professional or "
            "organisation?",
            "For example a Care Act 2014 section 45 request from the Safeguarding Adults Board, "
            "or a CQC inspection. Ask them which law, and record it.",
            YES_NO,
        ),
        Question(
            "enquiry_or_investigation",
            "Has a safeguarding enquiry or criminal investigation begun, with the local "
            "authority or police asking for this information?",
            "A section 42 Care Act enquiry by the local authority, or a police investigation.",
            YES_NO,
        ),
        Question(
            "harm",
            "How serious is the harm that abuse or neglect has caused, or may cause?",
            "If you are not sure, choose 'not clear': you will contact the local authority for "
            "advice without giving the person's details.",
            [
                ("serious", "Serious"),
                ("unclear", "Not clear"),
                ("not_serious", "Not serious"),
            ],
        ),
        Question(
            "criminal",
            "Is the abuse or neglect a criminal act, or could it be?",
            "For example assault, theft, fraud or wilful neglect. The police should also be told.",
            YES_NO,
        ),
    ]
}

assert set(QUESTIONS) == set(rules.FACTS) - {"requester"}  # noqa: S101 - import-time check


def path(facts: dict) -> list[str]:
    """The questions asked, in order, when the engine is replayed with ``facts``: answers the
    route no longer needs (after an earlier answer changed) drop out."""
    asked: list[str] = []
    known = {"requester": facts["requester"]}
    while True:
        outcome = rules.decide(known)
        if outcome.decision != rules.NEED_INFORMATION:
            return asked
        fact = outcome.missing[0]
        asked.append(fact)
        if fact not in facts:
            return asked
        known[fact] = facts[fact]


def answered(facts: dict) -> dict:
    """Only the answers on the current path (with the requester), ready for the engine."""
    return {"requester": facts["requester"], **{f: facts[f] for f in path(facts) if f in facts}}
