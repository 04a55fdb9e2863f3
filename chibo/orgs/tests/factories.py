import factory
from factory.django import DjangoModelFactory

from chibo.orgs.models import Body, Organization, OrgKind, Person, Position


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"TEST-{n:06d}")
    full_name = factory.Faker("name", locale="vi_VN")


def kind(code: str) -> OrgKind:
    return OrgKind.objects.get(code=code)


def make_org(
    parent: Organization | None,
    code: str,
    name: str,
    kind_code: str,
    committee_name: str = "",
    symbol: str = "",
) -> Organization:
    from chibo.orgs import services

    return services.org_create(
        actor=None,
        parent=parent,
        code=code,
        name=name,
        kind=kind(kind_code),
        committee_name=committee_name,
        symbol=symbol,
    )


def make_body(organization: Organization, body_kind: str, name: str) -> Body:
    return Body.objects.create(organization=organization, kind=body_kind, name=name)


def give_post(
    person: Person, organization: Organization, role: str, body: Body | None = None
) -> Position:
    return Position.objects.create(person=person, organization=organization, body=body, role=role)
