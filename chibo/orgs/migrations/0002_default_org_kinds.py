"""The organization kinds every committee starts with; administrators may add more."""

from django.db import migrations

DEFAULT_KINDS = [
    # code, name, is_cell, is_grassroots, order
    ("dang_bo_tinh", "Đảng bộ tỉnh", False, False, 10),
    ("dang_bo_cap_tren_co_so", "Đảng bộ cấp trên cơ sở", False, False, 20),
    ("dang_bo_co_so", "Đảng bộ cơ sở", False, True, 30),
    ("chi_bo_co_so", "Chi bộ cơ sở", True, True, 40),
    ("dang_bo_bo_phan", "Đảng bộ bộ phận", False, False, 50),
    ("chi_bo_truc_thuoc", "Chi bộ trực thuộc", True, False, 60),
    ("to_dang", "Tổ đảng", False, False, 70),
]


def add_kinds(apps, schema_editor):
    OrgKind = apps.get_model("orgs", "OrgKind")
    for code, name, is_cell, is_grassroots, order in DEFAULT_KINDS:
        OrgKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_cell": is_cell,
                "is_grassroots": is_grassroots,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
