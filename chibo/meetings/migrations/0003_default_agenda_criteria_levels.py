"""The default data meetings start from; administrators edit it (admin pages)."""

from django.db import migrations

REGULAR = [
    "Khai mạc: nêu lý do, giới thiệu đại biểu, cử thư ký; thông báo số đảng viên có mặt, vắng "
    "mặt (có lý do, không có lý do); thông qua chương trình",
    "Bí thư trình bày nội dung chi ủy đã chuẩn bị: kết quả thực hiện nhiệm vụ tháng trước, văn "
    "bản mới của cấp trên, nhiệm vụ tháng tới và những vấn đề cần thảo luận",
    "Đảng viên thảo luận, phê bình và tự phê bình",
    "Bí thư tiếp thu, giải đáp, định hướng",
    "Bế mạc: tổng hợp ý kiến, phân công nhiệm vụ, thông qua kết luận hoặc nghị quyết, đánh giá "
    "chất lượng buổi sinh hoạt, thông qua biên bản",
]
THEMATIC = [
    "Khai mạc: bí thư nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề",
    "Đảng viên được phân công trình bày dự thảo chuyên đề",
    "Đảng viên thảo luận",
    "Tiếp thu, hoàn thiện chuyên đề và gửi đến đảng viên",
    "Kết luận, phân công thực hiện",
]
CRITERIA = [
    ("attendance", "Tỷ lệ dự sinh hoạt",
     "Trên 85% đảng viên dự sinh hoạt, không có đảng viên vắng mặt không lý do."),
    ("preparation", "Công tác chuẩn bị",
     "Bí thư chuẩn bị nội dung, chi ủy họp trước, có dự thảo nghị quyết."),
    ("conduct", "Tiến hành sinh hoạt",
     "Đúng giờ, đúng trình tự, đủ nội dung, nhiều đảng viên phát biểu, từ 90 phút trở lên, "
     "ghi đầy đủ sổ biên bản."),
    ("principles", "Nguyên tắc sinh hoạt đảng",
     "Thực hiện đúng các nguyên tắc tổ chức sinh hoạt đảng."),
    ("follow_up", "Thực hiện nghị quyết kỳ trước",
     "Nghị quyết kỳ trước được thực hiện có kết quả."),
]
LEVELS = [("tot", "Tốt", 90), ("kha", "Khá", 70), ("trung_binh", "Trung bình", 50), ("kem", "Kém", 0)]


def add_defaults(apps, schema_editor):
    AgendaTemplate = apps.get_model("meetings", "AgendaTemplate")
    Criterion = apps.get_model("meetings", "Criterion")
    RatingLevel = apps.get_model("meetings", "RatingLevel")
    MeetingRules = apps.get_model("meetings", "MeetingRules")
    for meeting_type, name, items in (
        ("regular", "Sinh hoạt thường kỳ (Hướng dẫn 12-HD/BTCTW)", REGULAR),
        ("thematic", "Sinh hoạt chuyên đề (Hướng dẫn 12-HD/BTCTW)", THEMATIC),
    ):
        if not AgendaTemplate.objects.filter(meeting_type=meeting_type).exists():
            AgendaTemplate.objects.create(
                meeting_type=meeting_type, name=name, items=items, is_default=True
            )
    for order, (code, name, description) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "max_score": 20, "order": order},
        )
    for code, name, min_score in LEVELS:
        RatingLevel.objects.get_or_create(code=code, defaults={"name": name, "min_score": min_score})
    MeetingRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_invitations_attendance_minutes_evaluations")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
