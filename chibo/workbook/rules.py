"""Who may import where: the subtrees a user may load a workbook into.

Built on the one Scope mechanism (chibo.orgs.scope), not beside it:
- a MANAGE grant (a post in the Organization Board of X) lets its holder import under X;
- an ACT grant on a grassroots committee (the secretary or deputy of a đảng bộ cơ sở) lets its
  holder import under that committee: keeping the commune's own registry of cells and members
  is that committee's work. An ACT grant on a cell does not: a cell has no subtree to load.
The result is a Scope whose grants all carry MANAGE, so `allows(org, MANAGE)` answers the
question everywhere the importer writes.
"""

from chibo.core.errors import NotFound
from chibo.orgs.models import Organization
from chibo.orgs.scope import Access, Actor, Grant, Scope, scope_for


def import_scope(actor: Actor | None) -> Scope:
    """The subtrees `actor` may import into; a system job (no actor) may import anywhere.
    Cached on the user object for the length of a request, as `scope_for` caches scope."""
    if actor is None:
        return Scope(grants=(), unrestricted=True)
    cached = getattr(actor, "_chibo_import_scope", None)
    if isinstance(cached, Scope):
        return cached
    scope = _import_scope(actor)
    actor._chibo_import_scope = scope  # type: ignore[attr-defined]
    return scope


def _import_scope(actor: Actor) -> Scope:
    scope = scope_for(actor)
    if scope.unrestricted:
        return scope
    # Organization Board posts: manage those subtrees.
    paths = set(scope.paths(Access.MANAGE))
    acting = [grant.path for grant in scope.grants if grant.level == Access.ACT]
    if acting:
        # Secretaries of a grassroots committee (not of a cell): their commune's subtree.
        committees = Organization.objects.filter(
            path__in=acting, kind__is_grassroots=True, kind__is_cell=False
        ).values_list("path", flat=True)
        paths.update(committees)
    return Scope(grants=tuple(Grant(path, Access.MANAGE) for path in sorted(paths)))


def can_import(actor: Actor | None) -> bool:
    """Whether the import page and its menu entry are for this user."""
    return not import_scope(actor).is_empty


def import_require(actor: Actor | None) -> None:
    """Refuse whoever may import nowhere as `scope_require` refuses: the import is not theirs."""
    if not can_import(actor):
        raise NotFound()


def can_export(actor: Actor | None, organization: Organization) -> bool:
    """Whether `actor` may export `organization`'s subtree: a workbook holds personal data
    (card numbers, phones, emails, birth years), so export asks the same right as import."""
    if actor is None:
        return False
    return import_scope(actor).allows(organization, Access.MANAGE)


def manage_scope(actor: Actor | None) -> Scope:
    """The subtrees `actor` truly manages (an Organization Board post, or a superuser/system):
    only there may an import fill the bodies and posts that themselves grant scope, or change
    the organization a grant hangs on."""
    if actor is None:
        return Scope(grants=(), unrestricted=True)
    scope = scope_for(actor)
    if scope.unrestricted:
        return scope
    return Scope(grants=tuple(Grant(path, Access.MANAGE) for path in scope.paths(Access.MANAGE)))


def read_scope(actor: Actor | None) -> Scope:
    """What `actor` may see: anything else an import treats as if it did not exist."""
    if actor is None:
        return Scope(grants=(), unrestricted=True)
    return scope_for(actor)
