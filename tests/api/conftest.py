"""Fixtures of the API suites."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from chibo.orgs.models import OrgKind


@pytest.fixture(autouse=True)
def migration_data(db: None) -> None:
    """Put back what the data migrations wrote (org kinds, default criteria) when a
    transactional test (the browser journeys) ran before on this worker and flushed it; inside
    this test's transaction, so it is rolled back with the rest."""
    if OrgKind.objects.exists():
        return
    loader = MigrationLoader(connection)
    # The editor is only handed to the data functions, never entered: entering it inside this
    # test's transaction is refused on SQLite, and the data functions change no schema.
    editor = connection.schema_editor(atomic=False)
    for key, migration in sorted(loader.disk_migrations.items()):
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(loader.project_state(key, at_end=False).apps, editor)
