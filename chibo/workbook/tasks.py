"""Background jobs of imports: thin shells around the services, safe to run twice."""

from chibo.workbook import services


def import_check_run(record_id: int) -> str:
    record = services.import_check_run(record_id=record_id)
    return record.status if record is not None else "missing"


def import_apply_run(record_id: int) -> str:
    record = services.import_apply_run(record_id=record_id)
    return record.status if record is not None else "missing"


def import_files_purge() -> int:
    return services.import_files_purge()
