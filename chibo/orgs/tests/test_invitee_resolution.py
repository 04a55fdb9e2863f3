"""Invitee rules resolved against the Tam Đường demo tree."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from chibo.demo import tamduong
from chibo.orgs.invitees import resolve
from chibo.orgs.models import Assignment, Body, Organization, Position
from chibo.plans.models import Plan

DAY = dt.date(2025, 3, 12)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Plan]:
    with django_db_blocker.unblock(), transaction.atomic():
        tamduong.load_demo()
        yield Plan.objects.get(number=332, year=2025)
        transaction.set_rollback(True)


def holders(**filters: Any) -> set[int]:
    positions = Position.objects.filter(start_on__lte=DAY, end_on__isnull=True, **filters)
    return set(positions.values_list("person_id", flat=True))


@pytest.mark.django_db
def test_district_meeting_invites_the_four_groups_and_nobody_else(demo: Plan) -> None:
    target = demo.targets.get(kind="designated", meeting_types=["regular"])
    invitees = resolve(target.invitee_rules, relative={"@cell": target.organization}, on=DAY)
    district = Organization.objects.get(code="TAMDUONG")
    expected = (
        holders(body__organization=district, body__kind=Body.Kind.STANDING_OFFICE)
        | holders(body__organization=district, body__kind=Body.Kind.EXECUTIVE_COMMITTEE)
        | holders(
            organization__parent=district,
            organization__kind__code="chi_bo_co_so",
            role__in=["bi_thu", "pho_bi_thu"],
        )
        | holders(body__organization=district, body__kind__in=Body.ADVISORY_KINDS)
    )
    people = [entry.person.pk for entry in invitees]
    assert len(people) == len(set(people))  # each once
    assert set(people) == expected
    standing = next(
        e for e in invitees if any(r.rule.get("body") == "thuong_truc" for r in e.reasons)
    )
    texts = [reason.text for reason in standing.reasons]
    assert "Thường trực Huyện ủy Tam Đường" in texts
    assert "Ủy viên Ban Chấp hành Đảng bộ huyện Tam Đường" in texts
    advisory = {r.text for e in invitees for r in e.reasons if r.rule.get("group") == "advisory"}
    # Posts read with the body's name, as on a letter: never "Trưởng ban Ban …".
    assert "Trưởng Ban Tổ chức Huyện ủy" in advisory
    assert "Chánh Văn phòng Huyện ủy" in advisory
    assert not any(text.startswith(("Trưởng ban Ban", "Chánh Văn phòng Văn")) for text in advisory)


@pytest.mark.django_db
def test_commune_meeting_invites_its_bch_its_secretaries_and_its_own_team(demo: Plan) -> None:
    target = demo.targets.get(kind="quota")
    commune = Organization.objects.get(code="TD-BANBO")
    invitees = resolve(target.invitee_rules, relative={"@obligated": commune}, on=DAY)
    team_ids = set(
        Assignment.objects.filter(organization=commune, kind="follows").values_list(
            "team_id", flat=True
        )
    )
    assert len(team_ids) == 1
    expected = (
        holders(body__organization=commune, body__kind=Body.Kind.EXECUTIVE_COMMITTEE)
        | holders(
            organization__parent=commune,
            organization__kind__code="chi_bo_truc_thuoc",
            role__in=["bi_thu", "pho_bi_thu"],
        )
        | holders(body_id__in=team_ids)
    )
    assert {entry.person.pk for entry in invitees} == expected
    other_teams = Body.objects.filter(kind=Body.Kind.TEAM).exclude(pk__in=team_ids)
    assert not {e.person.pk for e in invitees} & holders(body__in=other_teams)
    team_name = Body.objects.get(pk=team_ids.pop()).name
    assert any(r.text == team_name for e in invitees for r in e.reasons)
    assert team_name.startswith("Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ số")


@pytest.mark.django_db
def test_a_post_that_ended_is_not_invited(demo: Plan) -> None:
    target = demo.targets.get(kind="quota")
    commune = Organization.objects.get(code="TD-BANBO")
    before = resolve(target.invitee_rules, relative={"@obligated": commune}, on=DAY)
    position = Position.objects.filter(
        body__organization=commune, body__kind="bch", role="uy_vien"
    ).first()
    assert position is not None
    position.end_on = dt.date(2025, 3, 1)
    position.save()
    after = resolve(target.invitee_rules, relative={"@obligated": commune}, on=DAY)
    assert {e.person.pk for e in before} - {e.person.pk for e in after} == {position.person_id}
