"""Realistic synthetic tax-registration files in exactly the BGMOPEN1.csv format.

The real file cannot be downloaded here, so tests and the benchmark use these: UTF-8 with BOM,
the 16-column header, the publication-date line, ROC dates, addresses with full-width numbers as
the Ministry writes them, company names built from parts, the legal forms of the data set,
branches that point at head offices generated earlier, industry codes from every section with
their names, and — as configured — a share of rows whose 統一編號 fails the check.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

from aipower.core.validators import is_valid_ubn

from .importer import HEADER

# (code, name) by section; codes are the tax classification's 6 digits.
INDUSTRIES: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("011111", "稻作栽培"),
        ("012211", "蔬菜栽培"),
        ("014111", "養豬"),
        ("031111", "遠洋漁撈"),
    ],
    "B": [("060000", "石油及天然氣礦業"), ("089911", "砂石採取")],
    "C": [
        ("089999", "未分類其他食品製造"),
        ("131111", "棉紡紗"),
        ("222999", "未分類其他塑膠製品製造"),
        ("259999", "未分類其他金屬製品製造"),
        ("261100", "積體電路製造"),
        ("271000", "電腦製造"),
        ("292999", "未分類其他專用機械設備製造"),
        ("303000", "機車製造"),
    ],
    "D": [("351000", "電力供應"), ("352000", "氣體燃料供應")],
    "E": [("382100", "一般廢棄物處理"), ("383000", "資源回收")],
    "F": [("410011", "住宅營造"), ("433000", "室內裝修"), ("432200", "用水供應及冷凍空調")],
    "G": [
        ("456111", "五金批發"),
        ("464111", "電腦及其週邊設備批發"),
        ("471999", "其他綜合商品零售"),
        ("474111", "電腦及其週邊設備零售"),
        ("482211", "服飾品零售"),
        ("485211", "網路零售"),
    ],
    "H": [("494011", "汽車貨運"), ("521000", "倉儲"), ("530000", "郵政及快遞")],
    "I": [("551011", "旅館"), ("561011", "餐館"), ("563100", "飲料店")],
    "J": [
        ("582011", "遊戲軟體出版"),
        ("582099", "其他軟體出版"),
        ("591111", "電影片製作"),
        ("610011", "有線電信"),
        ("620111", "應用軟體程式設計"),
        ("620199", "其他電腦程式設計"),
        ("620211", "系統整合"),
        ("620212", "系統規劃、分析及設計"),
        ("620299", "其他電腦諮詢及設備管理"),
        ("620900", "其他電腦相關服務"),
        ("631100", "入口網站經營"),
        ("631299", "其他資料處理、主機及網站代管服務"),
        ("639099", "未分類其他資訊服務"),
    ],
    "K": [
        ("641100", "銀行"),
        ("661100", "證券商"),
        ("669911", "第三方支付服務"),
        ("662100", "保險經紀"),
    ],
    "L": [("681100", "不動產開發"), ("682000", "不動產經紀")],
    "M": [
        ("691011", "律師服務"),
        ("692011", "會計服務"),
        ("711011", "建築設計服務"),
        ("712000", "技術檢測及分析服務"),
        ("731011", "廣告代理"),
        ("732011", "市場研究及民意調查"),
    ],
    "N": [
        ("771000", "汽車租賃"),
        ("781000", "人力仲介"),
        ("791100", "旅行業"),
        ("811000", "建築物清潔服務"),
    ],
    "P": [("859999", "其他教育服務"), ("852011", "文理補習班")],
    "Q": [("862000", "診所"), ("871000", "居住型護理照顧服務")],
    "R": [("901011", "藝術表演"), ("931100", "運動場館")],
    "S": [
        ("951000", "電腦及通訊設備維修"),
        ("961011", "美髮美容"),
        ("969999", "未分類其他個人服務"),
    ],
}
SECTIONS = list(INDUSTRIES)
# How often each section is a main business (retail, food and construction dominate).
SECTION_WEIGHTS = [2, 0.3, 10, 0.3, 0.7, 9, 30, 4, 12, 5, 2, 3, 6, 4, 2, 1.5, 1.5, 6.7]

SECTION_WORDS = {
    "A": ["農產", "農場", "漁業"],
    "B": ["礦業", "砂石"],
    "C": ["精密工業", "塑膠工業", "電子", "金屬工業", "食品", "紡織", "機械"],
    "D": ["能源", "電力"],
    "E": ["環保", "資源"],
    "F": ["營造", "工程", "室內設計", "建設"],
    "G": ["實業", "貿易", "商行", "百貨", "國際"],
    "H": ["物流", "通運", "倉儲"],
    "I": ["餐飲", "小吃", "飯店", "茶飲"],
    "J": ["資訊", "軟體", "數位", "科技", "智能", "網路", "雲端", "數據"],
    "K": ["支付", "金融科技", "保險經紀"],
    "L": ["不動產", "開發"],
    "M": ["顧問", "設計", "行銷", "檢測"],
    "N": ["人力", "旅行社", "租賃", "清潔"],
    "P": ["文教", "補習班"],
    "Q": ["診所", "護理"],
    "R": ["運動", "藝術"],
    "S": ["維修", "美髮", "生活"],
}
FIRST = "晴山北木青遠大新永台華宏瑞聯合金德銀福嘉昇群東南光明和泰安信勝鼎豐興達益源茂盛晨禾藍長"
SECOND = "空嵐港棉松東同光豐灣新達昱發勤海曦禾海虹豐勝河隆新信陽創亞盛鼎泰興源益茂和旺輝成"

# Legal forms with their share of the data set.
LEGAL_FORMS = [
    ("有限公司", 36),
    ("股份有限公司", 18),
    ("獨資", 40),
    ("合夥", 4),
    ("有限合夥", 0.5),
    ("外國公司在臺分公司", 0.5),
    ("其他", 1),
]
FOREIGN_PREFIXES = ["美商", "日商", "英商", "新加坡商", "德商", "荷蘭商", "香港商"]
SOLE_SUFFIXES = ["商行", "企業社", "工作室", "商店", "行"]

PLACES = {
    "臺北市": ["中正區", "大安區", "信義區", "內湖區", "松山區", "中山區", "南港區", "士林區"],
    "新北市": ["板橋區", "三重區", "新莊區", "中和區", "永和區", "汐止區", "新店區"],
    "桃園市": ["桃園區", "中壢區", "龜山區", "八德區"],
    "臺中市": ["西屯區", "北屯區", "南屯區", "西區", "大里區", "豐原區"],
    "臺南市": ["東區", "永康區", "安平區", "善化區", "新營區"],
    "高雄市": ["前鎮區", "苓雅區", "三民區", "鳳山區", "楠梓區", "左營區"],
    "新竹市": ["東區", "北區", "香山區"],
    "新竹縣": ["竹北市", "湖口鄉", "竹東鎮"],
    "苗栗縣": ["頭份市", "竹南鎮", "苗栗市"],
    "彰化縣": ["彰化市", "鹿港鎮", "員林市"],
    "雲林縣": ["斗六市", "虎尾鎮"],
    "嘉義市": ["東區", "西區"],
    "屏東縣": ["屏東市", "潮州鎮"],
    "宜蘭縣": ["宜蘭市", "羅東鎮"],
    "花蓮縣": ["花蓮市", "吉安鄉"],
    "臺東縣": ["臺東市"],
    "基隆市": ["仁愛區", "中正區", "七堵區"],
    "南投縣": ["南投市", "埔里鎮"],
    "澎湖縣": ["馬公市"],
    "金門縣": ["金城鎮"],
}
CITY_WEIGHTS = [18, 17, 9, 12, 8, 11, 3, 3, 2, 5, 2, 2, 2, 2, 1, 1, 1, 1, 0.5, 0.5]
VILLAGES = "仁愛忠孝信義和平中興民生復興光明福德永安新生興南大同"
ROADS = [
    "中山路",
    "中正路",
    "民生路",
    "建國路",
    "光復路",
    "復興路",
    "忠孝東路",
    "和平東路",
    "文化路",
    "成功路",
    "科學園區路",
    "工業區環河路",
]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CAPITALS = [0, 50_000, 100_000, 200_000, 500_000, 1_000_000, 3_000_000, 5_000_000, 10_000_000]


def ubn_with_check(prefix7: str, valid: bool, rng: random.Random) -> str:
    """A number from 7 digits and a last digit chosen to pass (or fail) the 2023 check."""
    digits = list(range(10))
    rng.shuffle(digits)
    for last in digits:
        candidate = f"{prefix7}{last}"
        if is_valid_ubn(candidate) is valid:
            return candidate
    raise AssertionError("unreachable: every residue mod 5 has a last digit")


def roc_compact(day: datetime.date) -> str:
    return f"{day.year - 1911:03d}{day.month:02d}{day.day:02d}"


def publication_line(published_on: datetime.date) -> list[str]:
    return [published_on.strftime("%d-%b-%y").upper()] + [""] * (len(HEADER) - 1)


class Generator:
    """Yields rows (lists of 16 strings) in file order; branches follow their head offices."""

    def __init__(
        self,
        *,
        seed: int | None = None,
        invalid_ratio: float = 0.0,
        branch_ratio: float = 0.08,
        reserved: set[str] | None = None,
    ):
        if not 0.0 <= invalid_ratio <= 1.0:
            raise ValueError("invalid_ratio must be between 0 and 1")
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.invalid_ratio = invalid_ratio
        self.branch_ratio = branch_ratio
        self._used = bytearray(100_000_000 // 8)
        for ubn in reserved or ():
            self._mark(ubn)
        self._heads: list[tuple[str, str, str, str]] = []  # (ubn, name, form, section)
        self._today = datetime.date.today()
        self._epoch = datetime.date(1950, 1, 1).toordinal()
        self._forms = [f for f, _ in LEGAL_FORMS]
        self._form_weights = [w for _, w in LEGAL_FORMS]
        self._cities = list(PLACES)

    def _mark(self, ubn: str) -> bool:
        n = int(ubn)
        byte, bit = n >> 3, 1 << (n & 7)
        if self._used[byte] & bit:
            return False
        self._used[byte] |= bit
        return True

    def new_ubn(self, valid: bool = True) -> str:
        rng = self.rng
        while True:
            ubn = ubn_with_check(f"{rng.randrange(10_000_000):07d}", valid, rng)
            if self._mark(ubn):
                return ubn

    def _address(self) -> str:
        rng = self.rng
        city = rng.choices(self._cities, CITY_WEIGHTS)[0]
        district = rng.choice(PLACES[city])
        village = rng.choice(VILLAGES) + rng.choice(VILLAGES) + "里"
        road = rng.choice(ROADS)
        parts = [city, district, village, road]
        if rng.random() < 0.4:
            parts.append(f"{rng.randint(1, 5)}段")
        if rng.random() < 0.45:
            parts.append(f"{rng.randint(1, 300)}巷")
            if rng.random() < 0.3:
                parts.append(f"{rng.randint(1, 40)}弄")
        parts.append(f"{rng.randint(1, 400)}號")
        if rng.random() < 0.5:
            parts.append(f"{rng.randint(1, 20)}樓")
        return "".join(parts).translate(FULL_WIDTH)

    def _industries(self, section: str) -> list[str]:
        rng = self.rng
        main = rng.choice(INDUSTRIES[section])
        pairs = [main]
        extra = rng.choices([0, 1, 2, 3], [35, 30, 20, 15])[0]
        for _ in range(extra):
            other = rng.choice(INDUSTRIES[section if rng.random() < 0.6 else rng.choice(SECTIONS)])
            if other not in pairs:
                pairs.append(other)
        cells: list[str] = []
        for code, name in pairs:
            cells += [code, name]
        return cells + [""] * (8 - len(cells))

    def _founded(self) -> str:
        rng = self.rng
        if rng.random() < 0.01:
            return ""
        # Younger companies are more frequent.
        span = self._today.toordinal() - self._epoch
        offset = int(span * (1 - rng.random() ** 2))
        return roc_compact(datetime.date.fromordinal(self._epoch + min(offset, span - 1)))

    def _name(self, section: str, form: str) -> str:
        rng = self.rng
        stem = rng.choice(FIRST) + rng.choice(SECOND) + rng.choice(SECTION_WORDS[section])
        if form in ("獨資", "合夥"):
            if stem.endswith(("商行", "小吃", "補習班", "診所", "旅行社")):
                return stem
            return stem + rng.choice(SOLE_SUFFIXES)
        if form == "有限合夥":
            return stem + "有限合夥"
        if form == "外國公司在臺分公司":
            return rng.choice(FOREIGN_PREFIXES) + stem + "股份有限公司台灣分公司"
        if form == "其他":
            return stem + rng.choice(["協會", "合作社", "基金會"])
        return stem + form

    def row(self) -> list[str]:
        rng = self.rng
        valid = rng.random() >= self.invalid_ratio
        if self._heads and rng.random() < self.branch_ratio:
            head_ubn, head_name, form, section = rng.choice(self._heads)
            city = rng.choice(["台北", "台中", "台南", "高雄", "新竹", "桃園"])
            name, head = f"{head_name}{city}分公司", head_ubn
            capital = ""
        else:
            section = rng.choices(SECTIONS, SECTION_WEIGHTS)[0]
            form = rng.choices(self._forms, self._form_weights)[0]
            name, head = self._name(section, form), ""
            if form in ("獨資", "合夥"):
                capital = str(rng.choice(CAPITALS[:5]))
            else:
                capital = str(rng.choice(CAPITALS[2:]) * rng.randint(1, 10))
        ubn = self.new_ubn(valid)
        if valid and not head and form in ("有限公司", "股份有限公司"):
            if len(self._heads) < 20_000:
                self._heads.append((ubn, name, form, section))
            elif rng.random() < 0.05:
                self._heads[rng.randrange(len(self._heads))] = (ubn, name, form, section)
        invoice = "N" if form in ("獨資", "合夥") and rng.random() < 0.6 else "Y"
        return [
            self._address(),
            ubn,
            head,
            name,
            capital,
            self._founded(),
            form,
            invoice,
            *self._industries(section),
        ]

    def rows(self, count: int) -> Iterator[list[str]]:
        for _ in range(count):
            yield self.row()


def write_file(
    out: str | os.PathLike,
    rows: int,
    *,
    invalid_ratio: float = 0.0,
    seed: int | None = None,
    published_on: datetime.date | None = None,
    extra_rows: list[list[str]] | None = None,
) -> Path:
    """Write a BGMOPEN1-format file (a .zip holding BGMOPEN1.csv when ``out`` ends in .zip)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    published_on = published_on or datetime.date.today()
    reserved = {r[1] for r in extra_rows or ()}
    generator = Generator(seed=seed, invalid_ratio=invalid_ratio, reserved=reserved)

    def fill(handle):
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerow(publication_line(published_on))
        writer.writerows(extra_rows or ())
        for start in range(0, rows, 10_000):
            writer.writerows(generator.rows(min(10_000, rows - start)))

    if out.suffix.lower() == ".zip":
        with (
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open("BGMOPEN1.csv", "w") as member,
            io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as handle,
        ):
            fill(handle)
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            fill(handle)
    return out
