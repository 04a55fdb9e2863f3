from chibo.accounts.models import User
from chibo.notifications import services
from chibo.notifications.models import Notification


def send(user: User, key: str = "news:1", title: str = "Tin mới", url: str = "") -> Notification:
    (notification,) = services.notification_send(
        recipients=[user], key=key, title=title, body=f"Nội dung {key}", url=url
    )
    return notification


def send_many(user: User, count: int) -> list[Notification]:
    return [send(user, key=f"news:{number}", title=f"Tin số {number}") for number in range(count)]
