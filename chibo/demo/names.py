"""Invented Vietnamese names for the demo people: deterministic, never a real person on purpose.

Names follow the naming customs of the peoples of Lai Châu (Kinh, Thái, Mông, Dao), so the
lists look like the province's. No Django here.
"""

import dataclasses
import random

DEFAULT_SEED = 2025

# The signer printed by the seed plan is the only real name in the demo; the generator leaves
# it (and a few national leaders' names a random draw could hit) to the data that needs it.
RESERVED_NAMES = frozenset(
    {
        "Cao Trang Trọng",
        "Nguyễn Phú Trọng",
        "Nguyễn Xuân Phúc",
        "Phạm Minh Chính",
        "Võ Văn Thưởng",
        "Lương Cường",
        "Trần Thanh Mẫn",
        "Vương Đình Huệ",
        "Trần Cẩm Tú",
        "Lê Minh Hưng",
    }
)


@dataclasses.dataclass(frozen=True)
class NameStock:
    """The family names, middle names and given names one people commonly uses."""

    families: tuple[str, ...]
    male_middles: tuple[str, ...]
    female_middles: tuple[str, ...]
    male_givens: tuple[str, ...]
    female_givens: tuple[str, ...]


KINH = NameStock(
    families=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"),
    male_middles=("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Ngọc", "Thanh", "Mạnh", "Trung"),
    female_middles=("Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Kim", "Phương", "Thị Minh"),
    male_givens=(
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam",
        "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hiếu", "Trường", "Tài", "Kiên",
    ),
    female_givens=(
        "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh",
        "Mai", "Nga", "Nhung", "Oanh", "Phượng", "Thảo", "Tuyết", "Yến", "Vân", "Huyền",
    ),
)  # fmt: skip

THAI = NameStock(
    families=("Lò", "Tao", "Lường", "Điêu", "Cầm", "Quàng", "Hoàng", "Vì", "Lù"),
    male_middles=("Văn",),
    female_middles=("Thị",),
    male_givens=(
        "Ún", "Xiêng", "Pánh", "Thoan", "Hặc", "Phanh", "Inh", "Chăm", "Xôm", "Đôi",
        "Pọm", "Hom", "Mun", "Ban", "Khiêm", "Thành", "Tiên", "Chung",
    ),
    female_givens=(
        "Ín", "Xiêm", "Lả", "Ọn", "Piếng", "Ánh", "Inh", "Thoa", "Xuân", "Mai",
        "Phương", "Hương", "Ún", "Biên",
    ),
)  # fmt: skip

MONG = NameStock(
    families=("Giàng", "Sùng", "Lù", "Vàng", "Hảng", "Thào", "Tráng", "Mùa", "Lý", "Chang"),
    male_middles=("A", "Seo", "Văn", "A", "Seo"),
    female_middles=("Thị",),
    male_givens=(
        "Chứ", "Dơ", "Lử", "Sử", "Dìn", "Sình", "Páo", "Cở", "Chu", "Dế",
        "Tủa", "Sàng", "Lâu", "Phử", "Chinh", "Khua", "Pó", "Vảng",
    ),
    female_givens=(
        "Mỷ", "Dợ", "Sua", "Dua", "Mỉ", "Pà", "Sú", "Dí", "Chía", "Xúa", "Ly", "Mai",
    ),
)  # fmt: skip

DAO = NameStock(
    families=("Tẩn", "Chảo", "Lý", "Đặng", "Triệu", "Phàn", "Sần"),
    male_middles=("Láo", "Văn", "Ông", "Kin", "Chòi", "Phù"),
    female_middles=("Sử", "Mý", "Thị", "Mẩy"),
    male_givens=(
        "San", "Lở", "Chìu", "Sành", "Chiêm", "Phìn", "Quẩy", "Kiềm", "Tả", "Vần", "Lai", "Sinh",
    ),
    female_givens=("Mẩy", "Chiêm", "Xuân", "Sành", "Mai", "Dếnh", "Kiều", "Sảy", "Lai", "Chòi"),
)  # fmt: skip

# Rough weights for Tam Đường: Thái, Mông and Dao villages, Kinh in the town and the offices.
STOCKS: tuple[tuple[NameStock, int], ...] = ((KINH, 35), (THAI, 30), (MONG, 23), (DAO, 12))

MALE = "male"
FEMALE = "female"


@dataclasses.dataclass(frozen=True)
class InventedName:
    full_name: str
    gender: str

    @property
    def given_name(self) -> str:
        return self.full_name.split()[-1]


class NameGenerator:
    """Deals invented full names, each once, in the same order for the same seed."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._random = random.Random(seed)
        self._used: set[str] = set(RESERVED_NAMES)

    @property
    def random(self) -> random.Random:
        """The generator's own Random, for other deterministic choices that go with a name."""
        return self._random

    def next(self, gender: str | None = None) -> InventedName:
        """A new name; `gender` is "male", "female" or None for either."""
        chosen_gender = gender or (MALE if self._random.random() < 0.6 else FEMALE)
        stocks = [stock for stock, _weight in STOCKS]
        weights = [weight for _stock, weight in STOCKS]
        while True:
            stock = self._random.choices(stocks, weights=weights)[0]
            full_name = self._compose(stock, chosen_gender)
            if full_name not in self._used:
                self._used.add(full_name)
                return InventedName(full_name=full_name, gender=chosen_gender)

    def _compose(self, stock: NameStock, gender: str) -> str:
        family = self._random.choice(stock.families)
        if gender == MALE:
            middle = self._random.choice(stock.male_middles)
            given = self._random.choice(stock.male_givens)
        else:
            middle = self._random.choice(stock.female_middles)
            given = self._random.choice(stock.female_givens)
        return f"{family} {middle} {given}"
