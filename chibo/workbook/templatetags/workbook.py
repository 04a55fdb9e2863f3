"""Whether a page offers "Xuất Excel" for an organization: the rule lives in workbook.rules."""

from typing import Any

from django import template

from chibo.orgs.models import Organization
from chibo.workbook import rules

register = template.Library()


@register.simple_tag
def can_export(user: Any, organization: Organization) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return rules.can_export(user, organization)
