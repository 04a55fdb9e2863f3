"""Background jobs of documents: each is a thin shell around a service, safe to run twice."""

from chibo.documents import services


def document_job_run(job_id: int) -> str:
    """Make one queued document; returns the job's final status."""
    job = services.document_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


def document_jobs_purge() -> int:
    """The nightly clean-up: how many old background documents were removed."""
    return services.document_jobs_purge()
