"""The plan regenerated from its structured data, as the Party's document."""

from unidecode import unidecode

from chibo.documents import frame
from chibo.plans.document_text import document_type_name, plan_document_blocks
from chibo.plans.models import Plan


def plan_docx(plan: Plan) -> bytes:
    """The plan's document (Kế hoạch số …), from a plan loaded by `plans.selectors.plan_get`."""
    info = frame.DocumentInfo(
        title=f"{document_type_name(plan.document_type)} số {plan.number_symbol}: {plan.title}",
        author=plan.issuer_org.display_committee,
    )
    return frame.render_docx([plan_document_blocks(plan)], info=info)


def plan_filename(plan: Plan, extension: str) -> str:
    """ "ke-hoach-332-KH-HU-2025.docx": ASCII, so every browser and mail client keeps it."""
    kind = "-".join(unidecode(document_type_name(plan.document_type)).lower().split())
    symbol = unidecode(plan.number_symbol).replace("/", "-")
    return f"{kind}-{symbol}-{plan.year}.{extension}"
