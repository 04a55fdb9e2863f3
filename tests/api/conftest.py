"""Fixtures of the API suites."""

import pytest

from chibo.orgs.models import OrgKind
from conftest import replay_data_migrations


@pytest.fixture(autouse=True)
def migration_data(db: None) -> None:
    """Put back what the data migrations wrote (org kinds, default criteria) when a
    transactional test (the browser journeys) ran before on this worker and flushed it; inside
    this test's transaction, so it is rolled back with the rest."""
    if OrgKind.objects.exists():
        return
    replay_data_migrations()
