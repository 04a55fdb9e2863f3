"""Writes to accounts and tokens."""

import secrets

from django.db import transaction
from django.utils import timezone

from chibo.accounts.models import ApiToken, User

TOKEN_PREFIX = "chibo_"  # noqa: S105 (a public marker, not a secret)


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token and return it with its raw value, which is shown once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, digest=ApiToken.digest_of(raw), prefix=raw[:8])
    token.full_clean()
    token.save()
    return token, raw


def token_authenticate(*, raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a write per API call would serialize readers on SQLite.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
