"""The rule engine against its contract (shared/domain/decision-engine.md), route by route."""

import pytest

from decisions import rules
from decisions.rules import decide

SHARE, WITHHOLD, ADVICE, NEED = "share", "withhold", "seek_advice", "need_information"
POLICE = ["notify_police"]


def outcome(facts):
    result = decide(facts)
    return result.decision, result.actions, result.missing


# (facts, decision, actions, missing): every route and every branch of the contract. ``missing``
# lists every fact some answer may still need, breadth first: the next question, then the
# questions each of its answers leads to, and so on.
CASES = [
    # Rule 1-2: the person, courts, duty of candour always share.
    ({"requester": "person"}, SHARE, [], []),
    ({"requester": "court"}, SHARE, [], []),
    ({"requester": "duty_of_candour"}, SHARE, [], []),
    # Rule 3: the person asks to share: only consent on this occasion shares.
    ({"requester": "person_asks_to_share"}, NEED, [], ["consent"]),
    ({"requester": "person_asks_to_share", "consent": "given"}, SHARE, [], []),
    ({"requester": "person_asks_to_share", "consent": "refused"}, WITHHOLD, [], []),
    ({"requester": "person_asks_to_share", "consent": "not_obtained"}, WITHHOLD, [], []),
    # Rule 5: family, carers, friends.
    (
        {"requester": "family_carer_friend"},
        NEED,
        [],
        ["legitimate_purpose", "person_has_capacity", "consent", "best_interests"],
    ),
    ({"requester": "family_carer_friend", "legitimate_purpose": False}, WITHHOLD, [], []),
    (
        {"requester": "family_carer_friend", "legitimate_purpose": True},
        NEED,
        [],
        ["person_has_capacity", "consent", "best_interests"],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": True,
        },
        NEED,
        [],
        ["consent"],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": True,
            "consent": "given",
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": True,
            "consent": "refused",
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": True,
            "consent": "not_obtained",
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": False,
        },
        NEED,
        [],
        ["best_interests"],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": False,
            "best_interests": True,
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": False,
            "best_interests": False,
        },
        WITHHOLD,
        [],
        [],
    ),
    # Rule 4: attorney or deputy, three conditions in order, else rule 5.
    (
        {"requester": "attorney_or_deputy"},
        NEED,
        [],
        [
            "person_has_capacity",
            "legitimate_purpose",
            "attorney_authority_covers_information",
            "consent",
            "attorney_deems_best_interests",
            "best_interests",
        ],
    ),
    (
        {"requester": "attorney_or_deputy", "person_has_capacity": False},
        NEED,
        [],
        [
            "attorney_authority_covers_information",
            "attorney_deems_best_interests",
            "legitimate_purpose",
            "best_interests",
        ],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": False,
            "attorney_authority_covers_information": True,
            "attorney_deems_best_interests": True,
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": False,
            "attorney_authority_covers_information": True,
        },
        NEED,
        [],
        ["attorney_deems_best_interests", "legitimate_purpose", "best_interests"],
    ),
    (
        {"requester": "attorney_or_deputy", "person_has_capacity": True},
        NEED,
        [],
        ["legitimate_purpose", "consent"],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": True,
            "legitimate_purpose": True,
            "consent": "refused",
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": True,
            "legitimate_purpose": True,
            "consent": "given",
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": False,
            "attorney_authority_covers_information": False,
            "legitimate_purpose": True,
            "best_interests": True,
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": False,
            "attorney_authority_covers_information": False,
            "legitimate_purpose": True,
            "best_interests": False,
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "attorney_or_deputy",
            "person_has_capacity": False,
            "attorney_authority_covers_information": True,
            "attorney_deems_best_interests": False,
            "legitimate_purpose": False,
        },
        WITHHOLD,
        [],
        [],
    ),
    # Rule 6: professionals: a legal requirement shares, else rule 5.
    ({"requester": "professional", "legal_requirement": True}, SHARE, [], []),
    (
        {"requester": "professional"},
        NEED,
        [],
        [
            "legal_requirement",
            "legitimate_purpose",
            "person_has_capacity",
            "consent",
            "best_interests",
        ],
    ),
    (
        {
            "requester": "professional",
            "legal_requirement": False,
            "legitimate_purpose": True,
            "person_has_capacity": False,
            "best_interests": False,
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {"requester": "professional", "legal_requirement": False, "legitimate_purpose": False},
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "professional",
            "legal_requirement": False,
            "legitimate_purpose": True,
            "person_has_capacity": True,
            "consent": "given",
        },
        SHARE,
        [],
        [],
    ),
    # Rule 7: safeguarding.
    ({"requester": "safeguarding", "enquiry_or_investigation": True}, SHARE, [], []),
    (
        {"requester": "safeguarding", "enquiry_or_investigation": True, "criminal": True},
        SHARE,
        [],
        [],
    ),
    (
        {"requester": "safeguarding"},
        NEED,
        [],
        [
            "enquiry_or_investigation",
            "person_has_capacity",
            "consent",
            "best_interests",
            "criminal",
            "harm",
        ],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "given",
        },
        NEED,
        [],
        ["criminal"],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "given",
            "criminal": False,
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "given",
            "criminal": True,
        },
        SHARE,
        POLICE,
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
            "best_interests": True,
            "criminal": True,
        },
        SHARE,
        POLICE,
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
        },
        NEED,
        [],
        ["harm", "criminal"],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "serious",
        },
        NEED,
        [],
        ["criminal"],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "serious",
            "criminal": True,
        },
        SHARE,
        POLICE,
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "not_obtained",
            "harm": "serious",
            "criminal": False,
        },
        SHARE,
        [],
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "unclear",
        },
        ADVICE,
        [],
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
            "best_interests": False,
            "harm": "not_serious",
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
            "best_interests": False,
            "harm": "not_serious",
            "criminal": True,
        },
        WITHHOLD,
        [],
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
        },
        NEED,
        [],
        ["best_interests", "criminal", "harm"],
    ),
]


@pytest.mark.parametrize(("facts", "decision", "actions", "missing"), CASES)
def test_every_route_and_branch(facts, decision, actions, missing):
    assert outcome(facts) == (decision, actions, missing)


CONTRACT_EXAMPLES = [
    ({"requester": "court"}, SHARE, []),
    (
        {
            "requester": "family_carer_friend",
            "legitimate_purpose": True,
            "person_has_capacity": True,
            "consent": "refused",
        },
        WITHHOLD,
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "unclear",
        },
        ADVICE,
        [],
    ),
    (
        {
            "requester": "safeguarding",
            "enquiry_or_investigation": False,
            "person_has_capacity": False,
            "best_interests": True,
            "criminal": True,
        },
        SHARE,
        POLICE,
    ),
    (
        {
            "requester": "professional",
            "legal_requirement": False,
            "legitimate_purpose": True,
            "person_has_capacity": False,
            "best_interests": False,
        },
        WITHHOLD,
        [],
    ),
    (
        {"requester": "professional", "legal_requirement": False, "legitimate_purpose": False},
        WITHHOLD,
        [],
    ),
]


@pytest.mark.parametrize(("facts", "decision", "actions"), CONTRACT_EXAMPLES)
def test_the_contract_examples(facts, decision, actions):
    result = decide(facts)
    assert (result.decision, result.actions, result.missing) == (decision, actions, [])


def test_contract_example_missing_starts_with_legitimate_purpose():
    assert decide({"requester": "family_carer_friend"}).missing[0] == "legitimate_purpose"


ALL_FACTS = {
    "legitimate_purpose": False,
    "person_has_capacity": False,
    "consent": "refused",
    "best_interests": False,
    "attorney_authority_covers_information": False,
    "attorney_deems_best_interests": False,
    "legal_requirement": False,
    "enquiry_or_investigation": False,
    "harm": "not_serious",
    "criminal": True,
}


@pytest.mark.parametrize("requester", ["person", "court", "duty_of_candour"])
def test_irrelevant_facts_are_ignored(requester):
    assert outcome({"requester": requester, **ALL_FACTS}) == (SHARE, [], [])


def test_irrelevant_facts_do_not_change_a_branch():
    facts = {"requester": "person_asks_to_share", "consent": "given"}
    noisy = {**ALL_FACTS, **facts}
    assert outcome(noisy) == outcome(facts) == (SHARE, [], [])
    family = {
        "requester": "family_carer_friend",
        "legitimate_purpose": True,
        "person_has_capacity": True,
        "consent": "given",
    }
    assert outcome({**family, "harm": "serious", "criminal": True, "best_interests": False}) == (
        SHARE,
        [],
        [],
    )


@pytest.mark.parametrize(("facts", "decision", "actions", "missing"), CASES)
def test_every_outcome_is_complete(facts, decision, actions, missing):
    result = decide(facts).as_dict()
    assert set(result) == {"decision", "actions", "missing", "reasons", "ruleset"}
    assert result["ruleset"] == rules.RULESET
    assert result["reasons"] and all(isinstance(r, str) and r for r in result["reasons"])
    if decision != NEED:
        assert all("Rule " in reason for reason in result["reasons"])
        assert all("policy section 3" in reason for reason in result["reasons"])


def test_a_police_notification_gives_its_reason():
    result = decide(CONTRACT_EXAMPLES[3][0])
    assert any("police" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({}, "requester"),
        ({"requester": "neighbour"}, "requester"),
        ({"requester": "court", "mood": "good"}, "mood"),
        ({"requester": "family_carer_friend", "legitimate_purpose": "yes"}, "legitimate_purpose"),
        ({"requester": "family_carer_friend", "legitimate_purpose": 1}, "legitimate_purpose"),
        ({"requester": "family_carer_friend", "legitimate_purpose": None}, "legitimate_purpose"),
        ({"requester": "person_asks_to_share", "consent": True}, "consent"),
        ({"requester": "safeguarding", "harm": "SERIOUS"}, "harm"),
        (["requester"], "facts"),
    ],
)
def test_invalid_facts_name_the_field(facts, field):
    with pytest.raises(rules.InvalidFacts) as error:
        decide(facts)
    assert error.value.field == field
    assert field in str(error.value)
