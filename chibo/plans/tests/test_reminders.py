import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command, execute_from_command_line
from django.test import override_settings
from django_q.models import Schedule, Success
from django_q.scheduler import scheduler

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ, DeadlineKind
from chibo.meetings import services as meeting_services
from chibo.notifications.models import Notification
from chibo.notifications.services import EMAIL_LINK
from chibo.orgs.models import Organization, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_body, make_org
from chibo.plans import reminders, services, tasks
from chibo.plans.models import Obligation, Plan, Registration
from chibo.plans.services import DutyData, ItemData
from chibo.plans.tests.factories import make_plan, plan_data
from conftest import World

pytestmark = pytest.mark.django_db

# "trước ngày 20/02/2025": the last day allowed is 19/02. With the default days 7, 2 and -1,
# reminders go out on 12/02, 17/02 and 20/02.
LAST_DAY = dt.date(2025, 2, 19)
# Two savepoints (four statements), the obligations due, the posts, the accounts, the
# notifications already made, the insert, the email addresses: none grows with the committees.
SEND_MAX_QUERIES = 10


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def account(username: str, organization: Organization, role: str, email: str = "") -> User:
    person = PersonFactory(home_cell=None)
    body = make_body(organization, "bch", f"Ban Chấp hành {organization.name} ({username})")
    give_post(person, organization, role, body)
    return User.objects.create_user(
        username=username, password="pw-123456", person=person, email=email
    )


def issue(world: World, **overrides: Any) -> Plan:
    plan = make_plan(world, status=Plan.Status.DRAFT, **overrides)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    return plan


def obligation_of(plan: Plan, organization: Organization) -> Obligation:
    return Obligation.objects.get(target__plan=plan, organization=organization)


@pytest.fixture
def plan(world: World) -> Plan:
    return issue(world)


@pytest.fixture
def secretary(world: World) -> User:
    user = world.commune_secretary
    user.email = "bithu.an@example.org"
    user.save()
    return user


@pytest.fixture
def deputy(world: World) -> User:
    return account("pho_bi_thu_an", world.commune_a, Position.Role.DEPUTY_SECRETARY)


@pytest.fixture
def secretary_b(world: World) -> User:
    return account("bi_thu_binh", world.commune_b, Position.Role.SECRETARY, "bithu.binh@ex.org")


def registration_b(world: World, plan: Plan) -> Registration:
    second = make_org(world.commune_b, "CB-2", "Chi bộ bản Bốn", "chi_bo_truc_thuoc")
    items = [
        ItemData(world.cell_b.pk, "regular", at(2025, 3, 10, 8, 0), "Nhà văn hóa bản Hai"),
        ItemData(second.pk, "thematic", at(2025, 3, 20, 14, 0), "Nhà văn hóa bản Bốn"),
    ]
    return services.registration_save(
        actor=None, obligation=obligation_of(plan, world.commune_b), items=items
    )


@pytest.fixture
def submitted_b(world: World, plan: Plan, secretary_b: User) -> Registration:
    return services.registration_submit(actor=None, registration=registration_b(world, plan))


def sent_to(reminders_sent: list[reminders.PlannedReminder]) -> list[tuple[str, int, set[str]]]:
    return [
        (reminder.organization.code, reminder.offset, {u.username for u in reminder.recipients})
        for reminder in reminders_sent
    ]


# --- Who and when -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "offsets"),
    [
        (dt.date(2025, 2, 11), []),
        (dt.date(2025, 2, 12), [7]),
        (dt.date(2025, 2, 13), []),
        (dt.date(2025, 2, 17), [2]),
        (dt.date(2025, 2, 19), []),
        (dt.date(2025, 2, 20), [-1]),
        (dt.date(2025, 2, 21), []),
    ],
)
def test_secretary_and_deputy_of_a_committee_not_registered_are_reminded_on_the_days(
    world: World,
    plan: Plan,
    secretary: User,
    deputy: User,
    secretary_b: User,
    submitted_b: Registration,
    today: dt.date,
    offsets: list[int],
) -> None:
    sent = reminders.reminders_send(today=today)
    assert sent_to(sent) == [
        ("CA", offset, {"commune_secretary", "pho_bi_thu_an"}) for offset in offsets
    ]
    assert Notification.objects.count() == 2 * len(offsets)
    assert not Notification.objects.filter(recipient=secretary_b).exists()


def test_committee_that_submitted_is_not_reminded(
    world: World, plan: Plan, secretary: User, submitted_b: Registration, secretary_b: User
) -> None:
    reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "commune_secretary"
    ]
    assert not Notification.objects.filter(recipient=secretary_b).exists()


def test_draft_and_returned_registrations_still_owe(
    world: World, plan: Plan, secretary: User, secretary_b: User
) -> None:
    registration = registration_b(world, plan)
    services.registration_submit(actor=None, registration=registration)
    services.registration_return(
        actor=None, registration=registration, comment="Thiếu địa điểm cụ thể"
    )
    sent = reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert sent_to(sent) == [
        ("CA", 7, {"commune_secretary"}),
        ("CB", 7, {"bi_thu_binh"}),
    ]
    returned = str(reminders.REMINDER_BODY_RETURNED).format(comment="Thiếu địa điểm cụ thể")
    assert returned in sent[1].body


def test_accepted_registration_is_not_reminded(
    world: World, plan: Plan, secretary: User, secretary_b: User
) -> None:
    registration = services.registration_submit(
        actor=None, registration=registration_b(world, plan)
    )
    meeting_services.registration_accept(actor=None, registration=registration)
    assert sent_to(reminders.reminders_send(today=dt.date(2025, 2, 20))) == [
        ("CA", -1, {"commune_secretary"})
    ]


def test_a_plan_not_issued_reminds_nobody(world: World, secretary: User) -> None:
    plan = issue(world)
    plan.status = Plan.Status.CLOSED
    plan.save()
    assert reminders.reminders_send(today=dt.date(2025, 2, 12)) == []


def test_a_former_secretary_is_not_reminded(world: World, plan: Plan, secretary: User) -> None:
    assert secretary.person is not None
    secretary.person.positions.update(end_on=dt.date(2025, 2, 1))
    assert reminders.reminders_send(today=dt.date(2025, 2, 12)) == []


def test_deadline_by_the_end_of_the_day_counts_from_that_day(world: World, secretary: User) -> None:
    data = plan_data(world)
    duty = data.duties[0]
    by_end = DutyData(
        what=duty.what,
        to_body=duty.to_body,
        deadline=dt.date(2025, 2, 20),
        deadline_kind=DeadlineKind.BY_END.value,
        target_index=duty.target_index,
    )
    issue(world, duties=[by_end])
    assert reminders.reminders_send(today=dt.date(2025, 2, 12)) == []
    assert sent_to(reminders.reminders_send(today=dt.date(2025, 2, 13))) == [
        ("CA", 7, {"commune_secretary"})
    ]


@override_settings(CHIBO_REMINDER_DAYS="3")
def test_days_come_from_the_setting_when_called(world: World, plan: Plan, secretary: User) -> None:
    assert reminders.reminders_send(today=dt.date(2025, 2, 12)) == []
    assert sent_to(reminders.reminders_send(today=dt.date(2025, 2, 16))) == [
        ("CA", 3, {"commune_secretary"})
    ]


@override_settings(CHIBO_REMINDER_DAYS="7, soon")
def test_bad_days_setting_fails_loudly(world: World, plan: Plan) -> None:
    with pytest.raises(ImproperlyConfigured) as raised:
        reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert str(raised.value) == (
        "CHIBO_REMINDER_DAYS must be whole numbers separated by commas, not '7, soon'"
    )


# --- What they read ---------------------------------------------------------------------------


@override_settings(LANGUAGE_CODE="en", CHIBO_REMINDER_DAYS="7,0,-1")
@pytest.mark.parametrize(
    ("today", "title", "when"),
    [
        (
            dt.date(2025, 2, 12),
            "Reminder: send danh sách, lịch for plan 332-KH/HU by 19/02/2025",
            "The last day is 19/02/2025, 7 days from now.",
        ),
        (
            dt.date(2025, 2, 19),
            "Today is the last day to send danh sách, lịch for plan 332-KH/HU",
            "The last day is today, 19/02/2025.",
        ),
        (
            dt.date(2025, 2, 20),
            "Overdue: danh sách, lịch for plan 332-KH/HU was due by 19/02/2025",
            "The last day was 19/02/2025, 1 day ago.",
        ),
    ],
)
def test_reminder_reaches_the_inbox_and_the_mailbox(
    world: World,
    plan: Plan,
    secretary: User,
    deputy: User,
    today: dt.date,
    title: str,
    when: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(today=today)
    body = (
        "Đảng bộ xã An has not sent danh sách, lịch for plan 332-KH/HU "
        f"(tổ chức sinh hoạt chi bộ mẫu năm 2025) yet. {when}"
    )
    url = f"/plans/{plan.pk}/"
    notifications = Notification.objects.order_by("recipient__username")
    assert [(n.recipient, n.title, n.body, n.url) for n in notifications] == [
        (secretary, title, body, url),
        (deputy, title, body, url),
    ]
    # The deputy has no email address: the inbox only.
    link = str(EMAIL_LINK).format(url=f"http://127.0.0.1:8000{url}")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["bithu.an@example.org"], title, f"{body}\n\n{link}")
    ]
    assert [n.emailed_at is not None for n in notifications] == [True, False]


def test_running_twice_sends_nothing_twice(
    world: World, plan: Plan, secretary: User, deputy: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.reminders_send(today=dt.date(2025, 2, 12))
        again = reminders.reminders_send(today=dt.date(2025, 2, 12))
        later = reminders.reminders_send(today=dt.date(2025, 2, 17))
        later_again = reminders.reminders_send(today=dt.date(2025, 2, 17))
    assert sent_to(first) == [("CA", 7, {"commune_secretary", "pho_bi_thu_an"})]
    assert again == []
    assert sent_to(later) == [("CA", 2, {"commune_secretary", "pho_bi_thu_an"})]
    assert later_again == []
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        f"reminder:obligation:{obligation_of(plan, world.commune_a).pk}:{offset}"
        for offset in (2, 2, 7, 7)
    ]
    assert len(mail.outbox) == 2


def test_a_new_deputy_gets_the_reminder_the_others_already_had(
    world: World, plan: Plan, secretary: User
) -> None:
    reminders.reminders_send(today=dt.date(2025, 2, 12))
    account("pho_bi_thu_moi", world.commune_a, Position.Role.DEPUTY_SECRETARY)
    again = reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert sent_to(again) == [("CA", 7, {"pho_bi_thu_moi"})]


def test_dry_run_writes_nothing(
    world: World, plan: Plan, secretary: User, deputy: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        planned = reminders.reminders_send(today=dt.date(2025, 2, 12), dry_run=True)
    assert sent_to(planned) == [("CA", 7, {"commune_secretary", "pho_bi_thu_an"})]
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert reminders.reminders_send(today=dt.date(2025, 2, 12), dry_run=True) == []


@pytest.mark.parametrize("committees", [0, 6])
def test_queries_do_not_grow_with_obligations(
    world: World, secretary: User, committees: int, django_assert_max_num_queries: Any
) -> None:
    for number in range(committees):
        commune = make_org(
            world.district, f"CX-{number}", f"Đảng bộ xã Số {number}", "dang_bo_co_so"
        )
        account(f"bi_thu_{number}", commune, Position.Role.SECRETARY, f"bt{number}@example.org")
        account(f"pho_bi_thu_{number}", commune, Position.Role.DEPUTY_SECRETARY)
    issue(world)
    with django_assert_max_num_queries(SEND_MAX_QUERIES):
        sent = reminders.reminders_send(today=dt.date(2025, 2, 12))
    assert len(sent) == committees + 1
    assert Notification.objects.count() == 2 * committees + 1


# --- The command and the worker ---------------------------------------------------------------


def remind(*args: str) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_remind_dry_run_lists_and_writes_nothing(
    world: World, plan: Plan, secretary: User, submitted_b: Registration
) -> None:
    assert secretary.person is not None
    output = remind("--dry-run", "--today", "2025-02-12")
    assert output.splitlines() == [
        f"332-KH/HU · Đảng bộ xã An · 7 days before (last day 19/02/2025) → "
        f"{secretary.person.full_name} (commune_secretary)",
        "Dry run: would send 1 reminder to 1 person on 12/02/2025; nothing was written.",
    ]
    assert Notification.objects.count() == 0


def test_remind_sends_then_has_nothing_left(world: World, plan: Plan, secretary: User) -> None:
    assert secretary.person is not None
    assert remind("--today", "2025-02-20").splitlines() == [
        f"332-KH/HU · Đảng bộ xã An · 1 day after (last day 19/02/2025) → "
        f"{secretary.person.full_name} (commune_secretary)",
        "Sent 1 reminder to 1 person on 20/02/2025.",
    ]
    assert remind("--today", "2025-02-20").splitlines() == [
        "Sent 0 reminders to 0 people on 20/02/2025."
    ]
    assert Notification.objects.count() == 1


def test_remind_uses_the_local_date_by_default(world: World, plan: Plan, secretary: User) -> None:
    # 17:30 UTC on 16/02 is already 17/02 in Hà Nội: the two-day reminder.
    with time_machine.travel(dt.datetime(2025, 2, 16, 17, 30, tzinfo=dt.UTC), tick=False):
        output = remind()
    assert output.splitlines()[-1] == "Sent 1 reminder to 1 person on 17/02/2025."


def test_remind_exits_zero_on_success_and_nonzero_on_errors(
    world: World, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    execute_from_command_line(["chibo", "remind", "--dry-run", "--today", "2025-02-12"])
    with pytest.raises(SystemExit) as bad_date:
        execute_from_command_line(["chibo", "remind", "--today", "12/02/2025"])
    assert bad_date.value.code == 2
    with override_settings(CHIBO_REMINDER_DAYS="x"), pytest.raises(SystemExit) as bad_setting:
        execute_from_command_line(["chibo", "remind"])
    assert bad_setting.value.code == 1
    errors = capsys.readouterr().err
    assert "argument --today: must be a date as YYYY-MM-DD, not '12/02/2025'" in errors
    assert "CHIBO_REMINDER_DAYS must be whole numbers separated by commas, not 'x'" in errors


def test_remind_refuses_a_bad_date(world: World) -> None:
    with pytest.raises(CommandError) as raised:
        remind("--today", "hôm nay")
    assert str(raised.value) == (
        "Error: argument --today: must be a date as YYYY-MM-DD, not 'hôm nay'"
    )


def test_schedule_setup_creates_one_daily_run_at_seven(world: World) -> None:
    with time_machine.travel(at(2025, 2, 12, 10, 0), tick=False):
        out = io.StringIO()
        call_command("schedule_setup", stdout=out)
        call_command("schedule_setup", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Scheduled the daily deadline reminders; next run 12/02/2025 07:00."
    assert "Kept the daily deadline reminders; next run 12/02/2025 07:00." in lines
    schedule = Schedule.objects.get(name=reminders.SCHEDULE_NAME)
    assert (schedule.name, schedule.func, schedule.schedule_type, schedule.repeats) == (
        reminders.SCHEDULE_NAME,
        "chibo.plans.tasks.reminders_run_daily",
        Schedule.DAILY,
        -1,
    )


def test_schedule_setup_corrects_a_changed_schedule(world: World) -> None:
    with time_machine.travel(at(2025, 2, 12, 10, 0), tick=False):
        schedule, _created = reminders.reminder_schedule_setup()
        Schedule.objects.filter(pk=schedule.pk).update(
            schedule_type=Schedule.HOURLY, next_run=at(2025, 2, 12, 11, 15)
        )
        schedule, created = reminders.reminder_schedule_setup()
    assert not created
    assert (schedule.schedule_type, schedule.next_run) == (Schedule.DAILY, at(2025, 2, 12, 7, 0))


def test_worker_runs_the_reminders_each_morning_without_a_person(
    world: World, plan: Plan, secretary: User
) -> None:
    with time_machine.travel(at(2025, 2, 11, 20, 0), tick=False):
        reminders.reminder_schedule_setup()
    with time_machine.travel(at(2025, 2, 12, 7, 1), tick=False):
        scheduler()
    schedule = Schedule.objects.get()
    assert schedule.next_run == at(2025, 2, 13, 7, 0)
    assert Success.objects.get().result == 1
    assert Notification.objects.get().recipient == secretary
    with time_machine.travel(at(2025, 2, 12, 7, 2), tick=False):
        scheduler()
    assert Success.objects.count() == 1


def test_daily_task_returns_how_many_it_sent(world: World, plan: Plan, secretary: User) -> None:
    with time_machine.travel(at(2025, 2, 12, 7, 0), tick=False):
        assert tasks.reminders_run_daily() == 1
        assert tasks.reminders_run_daily() == 0
