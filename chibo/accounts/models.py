"""Users, the people they are, and their API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.core.models import TimeStampedModel
from chibo.orgs.models import Person


class User(AbstractUser):
    """A chibo account (tài khoản). Its scope comes from the person's posts and assignments."""

    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("party member"),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("account")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(TimeStampedModel):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
