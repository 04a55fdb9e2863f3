"""Invitee groups as data: the vocabulary plans and meetings use to say who is invited.

A rule names a group by its place in the organization, never by a list of names, so it stays
true when staff change. Organizations are referred to by code, or by a relative reference:
- "@obligated": the organization that carries a quota obligation (a đảng ủy cơ sở choosing);
- "@cell": the cell that holds the meeting.

Examples (JSON):
    {"group": "body", "body": "thuong_truc", "of": "TAMDUONG"}
    {"group": "secretaries", "of_kind": "chi_bo_co_so", "under": "TAMDUONG"}
    {"group": "advisory", "of": "TAMDUONG"}
    {"group": "team_following", "of": "@obligated"}
    {"group": "in_charge_of", "of": "@obligated"}
    {"group": "person", "person": "<party card number>"}
Every rule may carry "label": the phrase the document itself uses for the group.
"""

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from chibo.orgs.models import (
    Assignment,
    Body,
    Organization,
    OrgKind,
    Person,
    Position,
    active_on,
)

RELATIVE_REFS = ("@obligated", "@cell")
INVITEE_RULES_INVALID = gettext_lazy("Invalid invitee group: {detail}")
INVITEE_RULE_UNKNOWN_ORG = gettext_lazy(
    "An invitee group names an organization that does not exist: {code}"
)
INVITEE_RULE_UNKNOWN_KIND = gettext_lazy(
    "An invitee group names an organization kind that does not exist: {code}"
)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = ""


class BodyRule(_Rule):
    """Holders of a post in one body of an organization (Thường trực, BCH, BTV …)."""

    group: Literal["body"]
    body: Body.Kind
    of: str
    roles: list[Position.Role] = Field(default_factory=list)


class SecretariesRule(_Rule):
    """Secretaries and deputies of the cells of a kind under an organization."""

    group: Literal["secretaries"]
    of_kind: str
    under: str
    roles: list[Position.Role] = Field(
        default_factory=lambda: [Position.Role.SECRETARY, Position.Role.DEPUTY_SECRETARY]
    )


class AdvisoryRule(_Rule):
    """Leaders and staff of an organization's advisory bodies."""

    group: Literal["advisory"]
    of: str


class TeamFollowingRule(_Rule):
    """The monitoring team assigned to follow an organization."""

    group: Literal["team_following"]
    of: str


class InChargeRule(_Rule):
    """The executive committee member in charge of an organization."""

    group: Literal["in_charge_of"]
    of: str


class PersonRule(_Rule):
    """One named person, by party card number."""

    group: Literal["person"]
    person: str


InviteeRule = Annotated[
    BodyRule | SecretariesRule | AdvisoryRule | TeamFollowingRule | InChargeRule | PersonRule,
    Field(discriminator="group"),
]
_RULES_ADAPTER: TypeAdapter[list[InviteeRule]] = TypeAdapter(list[InviteeRule])


def parse_rules(raw: Any) -> list[InviteeRule]:
    """Check a list of rules; raise a Django ValidationError with a readable reason."""
    try:
        rules = _RULES_ADAPTER.validate_python(raw)
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValidationError(
            str(INVITEE_RULES_INVALID).format(detail=f"{where}: {first['msg']}")
        ) from error
    codes = {ref for rule in rules for ref in _org_refs(rule) if ref not in RELATIVE_REFS}
    known = set(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in sorted(codes - known):
        raise ValidationError(str(INVITEE_RULE_UNKNOWN_ORG).format(code=code))
    kinds = {rule.of_kind for rule in rules if isinstance(rule, SecretariesRule)}
    known_kinds = set(OrgKind.objects.filter(code__in=kinds).values_list("code", flat=True))
    for code in sorted(kinds - known_kinds):
        raise ValidationError(str(INVITEE_RULE_UNKNOWN_KIND).format(code=code))
    return rules


def dump_rules(rules: list[InviteeRule]) -> list[dict[str, Any]]:
    return [rule.model_dump(mode="json", exclude_defaults=False) for rule in rules]


def _org_refs(rule: InviteeRule) -> list[str]:
    if isinstance(rule, SecretariesRule):
        return [rule.under]
    if isinstance(rule, PersonRule):
        return []
    return [rule.of]


def _org_phrase(ref: str, organizations: dict[str, Organization]) -> str:
    organization = organizations.get(ref)
    if organization is not None:
        return organization.display_committee
    if ref == "@obligated":
        return _("the grassroots organization")
    if ref == "@cell":
        return _("cell")
    return ref


def describe(
    rule: InviteeRule,
    organizations: dict[str, Organization],
    kind_names: dict[str, str] | None = None,
) -> str:
    """A Vietnamese phrase naming the group and its organization."""
    if rule.label:
        return rule.label
    if isinstance(rule, BodyRule):
        return f"{Body.Kind(rule.body).label} {_org_phrase(rule.of, organizations)}"
    if isinstance(rule, SecretariesRule):
        if kind_names is None:
            kind_names = dict(OrgKind.objects.values_list("code", "name"))
        kind = kind_names.get(rule.of_kind)
        roles = ", ".join(str(Position.Role(role).label) for role in rule.roles)
        return _("{roles} of the {kind} cells under {org}").format(
            roles=roles,
            kind=(kind or rule.of_kind).lower(),
            org=_org_phrase(rule.under, organizations),
        )
    if isinstance(rule, AdvisoryRule):
        return _("Leaders and staff of the advisory bodies of {org}").format(
            org=_org_phrase(rule.of, organizations)
        )
    if isinstance(rule, TeamFollowingRule):
        return _("The monitoring team assigned to follow {org}").format(
            org=_org_phrase(rule.of, organizations)
        )
    if isinstance(rule, InChargeRule):
        return _("The executive committee member in charge of {org}").format(
            org=_org_phrase(rule.of, organizations)
        )
    return _("The party member with card number {code}").format(code=rule.person)


def describe_all(raw_rules: list[dict[str, Any]]) -> list[str]:
    rules = _RULES_ADAPTER.validate_python(raw_rules)
    codes = {ref for rule in rules for ref in _org_refs(rule)}
    organizations = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    kind_names = dict(OrgKind.objects.values_list("code", "name"))
    return [describe(rule, organizations, kind_names) for rule in rules]


def describe_for_meeting(raw_rule: dict[str, Any], relative: dict[str, Organization]) -> str:
    """One group's phrase with its organizations named for one meeting ("Bí thư, Phó Bí thư các
    chi bộ cơ sở thuộc Đảng ủy xã Bản Bo", not "… the grassroots organization"): a letter's
    addressee."""
    rule = _RULES_ADAPTER.validate_python([raw_rule])[0]
    codes = {ref for ref in _org_refs(rule) if not ref.startswith("@")}
    organizations = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    return describe(rule, organizations | relative)


# Resolution -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why one person is invited: the rule that matched and a phrase a user reads."""

    rule: dict[str, Any]
    text: str


@dataclasses.dataclass
class ResolvedInvitee:
    person: Person
    reasons: list[Reason]


RESOLVE_UNKNOWN_RELATIVE = gettext_lazy("The invitee group {ref} has no meaning for this meeting.")


def _org_for(
    ref: str, relative: dict[str, Organization], by_code: dict[str, Organization]
) -> Organization:
    organization = relative.get(ref) if ref.startswith("@") else by_code.get(ref)
    if organization is None:
        raise ValidationError(str(RESOLVE_UNKNOWN_RELATIVE).format(ref=ref))
    return organization


def _body_reason(body: Body, organization: Organization) -> str:
    if body.kind == Body.Kind.EXECUTIVE_COMMITTEE:
        return _("Member of the executive committee of {org}").format(org=organization.name)
    if body.kind == Body.Kind.STANDING_COMMITTEE:
        return _("Member of the standing committee of {org}").format(
            org=organization.display_committee
        )
    if body.kind == Body.Kind.STANDING_OFFICE:
        return _("Standing office of {org}").format(org=organization.display_committee)
    if body.kind == Body.Kind.CELL_COMMITTEE:
        return _("Member of the cell committee of {org}").format(org=organization.name)
    return body.name


# How a title reads in front of an advisory body's name. Vietnamese names the post with the
# body ("Trưởng Ban Tổ chức Huyện ủy", "Chánh Văn phòng Huyện ủy"), never "Trưởng ban Ban …".
_TITLE_IN_BODY = {
    Position.Role.HEAD: gettext_lazy("Head of {body}"),
    Position.Role.DEPUTY_HEAD: gettext_lazy("Deputy head of {body}"),
    Position.Role.CHIEF_OF_OFFICE: gettext_lazy("Chief of {body}"),
    Position.Role.DEPUTY_CHIEF_OF_OFFICE: gettext_lazy("Deputy chief of {body}"),
    Position.Role.CHAIR: gettext_lazy("Chair of {body}"),
    Position.Role.DEPUTY_CHAIR: gettext_lazy("Deputy chair of {body}"),
}


def _title_in_body(role: str, body: Body) -> str:
    phrase = _TITLE_IN_BODY.get(Position.Role(role))
    if phrase is not None:
        return str(phrase).format(body=body.name)
    return _("{role} of {body}").format(role=Position.Role(role).label, body=body.name)


def _positions_on(day: dt.date) -> QuerySet[Position]:
    return Position.objects.filter(active_on(day)).select_related("person", "organization", "body")


def _matches(
    rule: InviteeRule, organization: Organization | None, day: dt.date
) -> list[tuple[Person, str]]:
    """The people one rule names on a day, each with the phrase for why."""
    if isinstance(rule, PersonRule):
        person = Person.objects.filter(code=rule.person).first()
        return [(person, _("Invited by name"))] if person else []
    if organization is None:
        # Every other rule names an organization, which resolve() finds or refuses.
        raise RuntimeError(f"{type(rule).__name__} resolved without its organization")
    if isinstance(rule, BodyRule):
        positions = _positions_on(day).filter(body__organization=organization, body__kind=rule.body)
        if rule.roles:
            positions = positions.filter(role__in=rule.roles)
        return [(p.person, _body_reason(p.body, organization)) for p in positions if p.body]
    if isinstance(rule, SecretariesRule):
        positions = _positions_on(day).filter(
            role__in=rule.roles,
            organization__kind__code=rule.of_kind,
            organization__path__startswith=organization.path,
            organization__valid_to__isnull=True,
        )
        return [
            (p.person, f"{Position.Role(p.role).label} {p.organization.name}") for p in positions
        ]
    if isinstance(rule, AdvisoryRule):
        positions = _positions_on(day).filter(
            body__organization=organization, body__kind__in=Body.ADVISORY_KINDS
        )
        return [(p.person, _title_in_body(p.role, p.body)) for p in positions if p.body]
    if isinstance(rule, TeamFollowingRule):
        team_ids = Assignment.objects.filter(
            active_on(day), organization=organization, kind=Assignment.Kind.FOLLOWS
        ).values("team_id")
        positions = _positions_on(day).filter(body_id__in=team_ids)
        return [(p.person, p.body.name) for p in positions if p.body]
    if isinstance(rule, InChargeRule):
        assignments = Assignment.objects.filter(
            active_on(day),
            organization=organization,
            kind=Assignment.Kind.IN_CHARGE,
            person__isnull=False,
        ).select_related("person")
        text = _("Executive committee member in charge of {org}").format(org=organization.name)
        return [(a.person, text) for a in assignments if a.person]
    raise RuntimeError(f"no people for a rule of type {type(rule).__name__}")


def resolve(
    raw_rules: list[dict[str, Any]],
    *,
    relative: dict[str, Organization],
    on: dt.date,
) -> list[ResolvedInvitee]:
    """The people the rules name on a day: each person once, with every reason, in name order.

    `relative` gives the organizations "@obligated" and "@cell" stand for in this meeting.
    """
    rules = _RULES_ADAPTER.validate_python(raw_rules)
    codes = {ref for rule in rules for ref in _org_refs(rule) if not ref.startswith("@")}
    by_code = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    found: dict[int, ResolvedInvitee] = {}
    for raw, rule in zip(raw_rules, rules, strict=True):
        refs = _org_refs(rule)
        organization = _org_for(refs[0], relative, by_code) if refs else None
        for person, text in _matches(rule, organization, on):
            entry = found.setdefault(person.pk, ResolvedInvitee(person=person, reasons=[]))
            reason = Reason(rule=raw, text=text)
            if reason not in entry.reasons:
                entry.reasons.append(reason)
    return sorted(found.values(), key=lambda entry: (entry.person.sort_key, entry.person.pk))
