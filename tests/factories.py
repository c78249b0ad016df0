"""factory-boy factories for the core and consent records."""

import uuid
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from carehub.models import Membership, Person, Role, Service

PASSWORD = "correct horse battery staple"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    role = Role.CARE_STAFF


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    service = factory.SubFactory(ServiceFactory)
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = date(1940, 5, 17)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.ConsentRecord"

    person = factory.SubFactory(PersonFactory)
    recorded_by = factory.SubFactory(UserFactory)
    submission_key = factory.LazyFunction(uuid.uuid4)
    information_category = "health"
    recipient_class = "family"
    purpose = "To keep her daughter informed about hospital appointments"
    status = "given"
    how_obtained = "in_person"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment finding that the person lacks capacity (override for the other outcome)."""

    class Meta:
        model = "consent.CapacityAssessment"

    person = factory.SubFactory(PersonFactory)
    recorded_by = factory.SubFactory(UserFactory)
    submission_key = factory.LazyFunction(uuid.uuid4)
    decision = "Whether to share her test results with her son"
    information_category = "health"
    recipient_class = "family"
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    support_given = "Explained in plain words in the morning, with her glasses and hearing aid"
    impairment = True
    impairment_evidence = "Diagnosed with vascular dementia (GP letter, 2023)"
    can_understand = False
    understand_evidence = "Could not say what the results were about after three explanations"
    can_retain = False
    retain_evidence = "Did not recall the conversation ten minutes later"
    can_use_or_weigh = False
    use_or_weigh_evidence = "Could not weigh telling her son against keeping it private"
    can_communicate = True
    communicate_evidence = "Speaks clearly"
    outcome = "lacks_capacity"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class BestInterestsDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.BestInterestsDecision"

    person = factory.SelfAttribute("capacity_assessment.person")
    capacity_assessment = factory.SubFactory(CapacityAssessmentFactory)
    recorded_by = factory.SubFactory(UserFactory)
    submission_key = factory.LazyFunction(uuid.uuid4)
    decision = "Share her blood test results with her son"
    information_category = factory.SelfAttribute("capacity_assessment.information_category")
    recipient_class = factory.SelfAttribute("capacity_assessment.recipient_class")
    decided_on = factory.LazyFunction(timezone.localdate)
    consulted = factory.LazyFunction(lambda: ["family", "carers"])
    consultation_notes = "Her son and key worker agree he has always been told"
    wishes_and_feelings = "She has always asked for her son to be kept informed"
    could_regain_capacity = "no"
    least_restrictive_option = "Share only the results, by phone, not the whole record"
    sharing_in_best_interests = True
    reasons = "Matches her long-held wishes; her son supports her at appointments"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.Representative"

    person = factory.SubFactory(PersonFactory)
    recorded_by = factory.SubFactory(UserFactory)
    submission_key = factory.LazyFunction(uuid.uuid4)
    kind = "lpa_health_welfare"
    name = "David Clarke"
    relationship = "Son"
    contact_details = "07700 900123"
    covers = factory.LazyFunction(lambda: ["health", "care_plan", "test_results"])
    valid_from = date(2022, 4, 1)


class RepresentativeVerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.RepresentativeVerification"

    representative = factory.SubFactory(RepresentativeFactory)
    method = "opg_use_an_lpa"
    reference = "V-1234-5678-9012"
    verified_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    verified_by = factory.SubFactory(UserFactory)


class SharingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "decisions.SharingRequest"

    person = factory.SubFactory(PersonFactory)
    created_by = factory.SubFactory(UserFactory)
    submission_key = factory.LazyFunction(uuid.uuid4)
    route = "family_carer_friend"
    requester_name = "Susan Clarke"
    requester_role = "Daughter"
    requester_contact = "07700 900456"
    information_category = "test_results"
    information_detail = "Her blood test results"
    recipient_class = "family"
    received_on = factory.LazyFunction(timezone.localdate)
    received_how = "phone"


class DecisionFactory(factory.django.DjangoModelFactory):
    """A safeguarding share without consent about a possible crime: it needs a manager's
    sign-off and a police follow-up."""

    class Meta:
        model = "decisions.Decision"

    request = factory.SubFactory(
        SharingRequestFactory,
        route="safeguarding",
        recipient_class="local_authority",
        answers={
            "enquiry_or_investigation": False,
            "person_has_capacity": True,
            "consent": "refused",
            "harm": "serious",
            "criminal": True,
        },
    )
    person = factory.SelfAttribute("request.person")
    facts = factory.LazyAttribute(lambda o: {"requester": o.request.route, **o.request.answers})
    answer_path = factory.LazyFunction(list)
    ruleset = "2024-11.1"
    recommendation = "share"
    recommendation_reasons = factory.LazyFunction(lambda: ["Rule 7 (policy section 3)"])
    actions = factory.LazyFunction(lambda: ["notify_police"])
    final = "share"
    rationale = "Serious harm"
    article6_basis = "vital_interests"
    article9_condition = "safeguarding"
    what_shared = "What was seen"
    shared_at = factory.LazyFunction(timezone.now)
    method = "secure_portal"
    recipient_name = "Duty social worker"
    principles = factory.LazyFunction(
        lambda: dict.fromkeys(
            ["necessary_and_proportionate", "relevant", "adequate", "accurate", "timely", "secure"],
            "Checked",
        )
    )
    person_told = False
    person_told_note = "Would increase the risk"
    needs_sign_off = True
    decided_by = factory.SubFactory(UserFactory)


class SharingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "decisions.SharingAgreement"

    service = factory.SubFactory(ServiceFactory)
    title = "Westshire safeguarding information-sharing protocol"
    partner_type = "local_authority"
    parties = "Westshire County Council; the provider"
    covers = factory.LazyFunction(lambda: ["health", "care_plan"])
    purposes = "Safeguarding adults at risk"
    reference = "WSAB-ISP-2025"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=200))
    created_by = factory.SubFactory(UserFactory)


def _next_breach_number():
    from breaches.services import _next_number

    return _next_number()


class BreachReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "breaches.BreachReport"

    number = factory.LazyFunction(_next_breach_number)
    service = factory.SubFactory(ServiceFactory)
    reporter = factory.SubFactory(UserFactory)
    what_happened = "A work phone with the notes app was left on a bus"
    category = "device"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=5))
    discovered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    information = factory.LazyFunction(lambda: ["health"])
    submission_key = factory.LazyFunction(uuid.uuid4)
