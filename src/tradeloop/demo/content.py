"""What the demo site contains: people, organizations, categories and offers for all four trade modes.

Plain data, no database access; `tradeloop.demo.loader` writes it through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

PASSWORD = "tradeloop-demo"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    language: str = "en"


@dataclass(frozen=True)
class Offer:
    title: str
    short: str  # the few words printed on the generated picture
    category: str
    description: str
    variants: list[tuple]  # (sku, name, price, compare_at_price | None, stock, options)
    kind: str = "physical"
    condition: str = "new"
    attributes: dict = field(default_factory=dict)
    featured: bool = False
    colour: str = ""  # the picture's main colour; the category's when blank


@dataclass(frozen=True)
class Seller:
    kind: str
    name: str
    owner: Person
    profile: dict
    staff: list[tuple[Person, str]] = field(default_factory=list)  # (person, role code)
    offers: list[Offer] = field(default_factory=list)


# slug, English name, Chinese name, parent slug, picture colours (top, bottom), picture motif
CATEGORIES = [
    ("fresh-food", "Fresh food", "生鲜食品", None, ("#fde68a", "#f59e0b"), "fruit"),
    ("fruit", "Fruit", "水果", "fresh-food", ("#fecaca", "#fb923c"), "fruit"),
    ("electronics", "Electronics", "电子产品", None, ("#c7d2fe", "#1e3a8a"), "chip"),
    ("components", "Components", "电子元器件", "electronics", ("#bae6fd", "#0f766e"), "chip"),
    ("adcs", "AD converters", "模数转换器", "components", ("#a5b4fc", "#312e81"), "chip"),
    ("second-hand", "Second-hand", "二手闲置", None, ("#e7e5e4", "#78716c"), "box"),
    ("cameras", "Cameras", "相机", "second-hand", ("#e5e7eb", "#374151"), "camera"),
    ("bikes", "Bikes", "自行车", "second-hand", ("#d9f99d", "#3f6212"), "bike"),
    ("books", "Books", "图书", "second-hand", ("#fef3c7", "#92400e"), "books"),
    ("local-services", "Local services", "本地生活", None, ("#fbcfe8", "#9d174d"), "house"),
    ("beauty-hair", "Beauty & hair", "美容美发", "local-services", ("#fbcfe8", "#be185d"), "scissors"),
    ("housekeeping", "Housekeeping", "家政服务", "local-services", ("#ccfbf1", "#0f766e"), "house"),
]

OPERATOR = Person("admin@example.com", "Site operator (运营)")
OPERATOR_ORG = {"name": "Tradeloop Nanjing", "slug": "tradeloop-operator", "city": "Nanjing"}
CONSUMER = Person("chen.xiao@example.com", "Chen Xiao (陈晓)", "zh-hans")


def _fruit(sku: str, prices: tuple[str, str, str], discounts: tuple = (None, None, None), stock: int = 80) -> list:
    sizes = ("500 g", "1 kg", "5 kg box")
    return [
        (f"{sku}-{i + 1}", size, price, discounts[i], stock // (i + 1), {"Weight": size})
        for i, (size, price) in enumerate(zip(sizes, prices, strict=True))
    ]


def _boxes(sku: str, unit_prices: tuple[str, str, str], stock: int = 40) -> list:
    packs = (("Box of 50", 50), ("Box of 250", 250), ("Reel of 1000", 1000))
    return [
        (f"{sku}-{qty}", name, str(Decimal(unit) * qty), None, stock // (i + 1), {"Packing": name})
        for i, ((name, qty), unit) in enumerate(zip(packs, unit_prices, strict=True))
    ]


def _one(sku: str, price: str, compare_at: str | None = None, stock: int = 1, name: str = "") -> list:
    return [(sku, name, price, compare_at, stock, {})]


WANG = Seller(
    kind="merchant",
    name="Wang's Fruit Shop (王记水果)",
    owner=Person("wang@example.com", "Wang Jianguo (王建国)", "zh-hans"),
    profile={
        "description": "Fresh fruit picked at the orchard and delivered in Nanjing the same day. 王记水果，产地直采，南京同城当日达。",
        "phone": "+86 25 8330 1188",
        "address": "88 Hunan Road, Gulou District (南京市鼓楼区湖南路88号)",
        "city": "Nanjing",
        "latitude": "32.060300",
        "longitude": "118.796900",
    },
    staff=[
        (Person("liu.fang@example.com", "Liu Fang (刘芳)"), "catalog"),
        (Person("zhao.lei@example.com", "Zhao Lei (赵磊)"), "fulfilment"),
    ],
    offers=[
        Offer(
            "Yantai Fuji apples",
            "Fuji apples",
            "fruit",
            "<p>Crisp, sweet Red Fuji apples from Yantai, Shandong. 烟台红富士苹果，脆甜多汁。</p>",
            _fruit("WF-APPLE", ("9.90", "18.80", "79.00"), (None, None, "99.00")),
            featured=True,
            colour="#dc2626",
            attributes={"Origin": "Yantai, Shandong", "Storage": "Cool and dry"},
        ),
        Offer(
            "Sunshine Rose grapes",
            "Sunshine Rose",
            "fruit",
            "<p>Seedless green grapes with a rose aroma. 阳光玫瑰葡萄，无籽，玫瑰香。</p>",
            _fruit("WF-GRAPE", ("29.90", "56.00", "258.00"), ("35.90", None, None)),
            featured=True,
            colour="#65a30d",
        ),
        Offer(
            "Hainan Guifei mangoes",
            "Guifei mango",
            "fruit",
            "<p>Small, fragrant red-blush mangoes from Hainan. 海南贵妃芒，香甜细腻。</p>",
            _fruit("WF-MANGO", ("12.80", "24.00", "99.00")),
            colour="#f59e0b",
        ),
        Offer(
            "Zhouzhi kiwifruit",
            "Kiwifruit",
            "fruit",
            "<p>Green-fleshed kiwifruit from Zhouzhi, Shaanxi. 陕西周至猕猴桃。</p>",
            _fruit("WF-KIWI", ("8.80", "16.50", "69.00")),
            colour="#4d7c0f",
        ),
        Offer(
            "Dandong strawberries",
            "Strawberries",
            "fruit",
            "<p>Large winter strawberries from Dandong, Liaoning. 丹东九九草莓。</p>",
            _fruit("WF-STRAW", ("39.90", "75.00", "358.00"), ("49.90", "89.00", None), stock=40),
            featured=True,
            colour="#e11d48",
        ),
        Offer(
            "Yantai cherries",
            "Cherries",
            "fruit",
            "<p>Dark red sweet cherries, hand-picked. 烟台大樱桃。</p>",
            _fruit("WF-CHERRY", ("59.00", "112.00", "520.00"), stock=30),
            colour="#9f1239",
        ),
        Offer(
            "Guanxi honey pomelo",
            "Honey pomelo",
            "fruit",
            "<p>Juicy white-flesh pomelo from Pinghe, Fujian. 福建平和琯溪蜜柚。</p>",
            _fruit("WF-POMELO", ("6.90", "12.90", "52.00")),
            colour="#eab308",
        ),
        Offer(
            "Red dragon fruit",
            "Dragon fruit",
            "fruit",
            "<p>Red-fleshed pitaya, rich in colour and flavour. 红心火龙果。</p>",
            _fruit("WF-PITAYA", ("11.80", "22.00", "95.00"), (None, "25.00", None)),
            colour="#db2777",
        ),
        Offer(
            "Huangyan mandarins",
            "Mandarins",
            "fruit",
            "<p>Thin-skinned, easy-peel mandarins from Huangyan, Zhejiang. 黄岩蜜桔。</p>",
            _fruit("WF-MANDARIN", ("7.50", "13.90", "58.00"), (None, None, "68.00")),
            colour="#ea580c",
        ),
        Offer(
            "Winter jujubes",
            "Winter jujube",
            "fruit",
            "<p>Crunchy fresh jujubes from Zhanhua, Shandong. 沾化冬枣。</p>",
            _fruit("WF-JUJUBE", ("15.80", "29.80", "128.00")),
            colour="#b45309",
        ),
        Offer(
            "Korla fragrant pears",
            "Fragrant pear",
            "fruit",
            "<p>Small aromatic pears from Korla, Xinjiang. 新疆库尔勒香梨。</p>",
            _fruit("WF-PEAR", ("9.80", "18.50", "79.00")),
            featured=True,
            colour="#a3a635",
        ),
        Offer(
            "Feizixiao lychees",
            "Lychees",
            "fruit",
            "<p>Early-season lychees from Maoming, Guangdong. 茂名妃子笑荔枝。</p>",
            _fruit("WF-LYCHEE", ("26.80", "49.90", "228.00"), ("32.80", "59.90", None), stock=30),
            colour="#be123c",
        ),
    ],
)


def _adc(resolution: str, channels: str, noise: str, package: str, interface: str = "SPI", **more) -> dict:
    return {
        "Resolution": resolution,
        "Channels": channels,
        "Noise": noise,
        "Package": package,
        "Interface": interface,
        **more,
    }


HENGSHENG = Seller(
    kind="supplier",
    name="Hengsheng Precision Electronics (恒晟精密电子)",
    owner=Person("chen.hao@example.com", "Chen Hao (陈浩)", "zh-hans"),
    profile={
        "description": "Precision data-converter and analog parts for instruments, by the box or reel. "
        "恒晟精密电子：高精度数据转换器与模拟器件，整盒整盘批发。",
        "phone": "+86 755 2671 8800",
        "address": "Block B, 12 Keji South Road, Nanshan District (深圳市南山区科技南路12号B座)",
        "city": "Shenzhen",
        "latitude": "22.540500",
        "longitude": "113.953500",
    },
    staff=[(Person("huang.min@example.com", "Huang Min (黄敏)"), "catalog")],
    offers=[
        Offer(
            "HS1262 24-bit ΣΔ ADC, 10-channel, low-noise (ADS1262-class)",
            "HS1262 24-bit ADC",
            "adcs",
            "<p>High-precision, low-noise 24-bit delta-sigma ADC with PGA, internal reference and sensor "
            "excitation; for weigh scales, strain gauges and industrial instruments. 24位高精度低噪声Σ-Δ模数转换器。</p>",
            _boxes("HS1262", ("49.00", "46.00", "42.00")),
            attributes=_adc(
                "24-bit",
                "10 single-ended / 5 differential",
                "7 nV RMS",
                "TSSOP-28",
                **{"Data rate": "2.5 SPS–38.4 kSPS"},
            ),
            featured=True,
        ),
        Offer(
            "HS1263 24-bit ΣΔ ADC with auxiliary 24-bit ADC (ADS1263-class)",
            "HS1263 dual ADC",
            "adcs",
            "<p>Like the HS1262, plus an auxiliary 24-bit ADC for background temperature and diagnostics. "
            "带辅助ADC的24位Σ-Δ模数转换器。</p>",
            _boxes("HS1263", ("58.00", "54.50", "50.00")),
            attributes=_adc("24-bit", "10 single-ended / 5 differential", "7 nV RMS", "TSSOP-28"),
        ),
        Offer(
            "HS1220 24-bit 4-channel low-power ΣΔ ADC (ADS1220-class)",
            "HS1220 low-power",
            "adcs",
            "<p>Small, low-power 24-bit ADC with PGA and two excitation current sources, for RTD and "
            "thermocouple front ends. 低功耗24位四通道模数转换器。</p>",
            _boxes("HS1220", ("12.50", "11.60", "10.40")),
            attributes=_adc("24-bit", "4 single-ended / 2 differential", "90 nV RMS", "TSSOP-16"),
        ),
        Offer(
            "HS1256 24-bit 8-channel 30 kSPS ΣΔ ADC (ADS1256-class)",
            "HS1256 30 kSPS",
            "adcs",
            "<p>Very low noise 24-bit ADC at up to 30 kSPS with input buffer and PGA. 24位8通道30kSPS模数转换器。</p>",
            _boxes("HS1256", ("36.00", "33.80", "31.00")),
            attributes=_adc("24-bit", "8 single-ended / 4 differential", "23 bits noise-free", "SSOP-28"),
            featured=True,
        ),
        Offer(
            "HS7124 24-bit 8-channel low-noise ADC for sensors (AD7124-class)",
            "HS7124 sensor ADC",
            "adcs",
            "<p>Low-noise, low-power 24-bit sigma-delta ADC with on-chip diagnostics. 传感器用低噪声24位模数转换器。</p>",
            _boxes("HS7124", ("41.00", "38.50", "35.00")),
            attributes=_adc("24-bit", "8 differential / 15 pseudo-differential", "23 nV RMS", "LFCSP-32"),
        ),
        Offer(
            "HSREF25 2.5 V ultra-low-noise voltage reference (REF5025-class)",
            "2.5 V reference",
            "components",
            "<p>3 ppm/°C, 3 µVpp/V reference to pair with 24-bit converters. 2.5V超低噪声基准电压源。</p>",
            _boxes("HSREF25", ("8.60", "7.90", "7.10")),
            attributes={"Output": "2.5 V", "Noise": "3 µVpp/V", "Drift": "3 ppm/°C", "Package": "SOIC-8"},
        ),
        Offer(
            "HSLDO50 5 V 500 mA ultra-low-noise LDO regulator",
            "5 V low-noise LDO",
            "components",
            "<p>4.2 µV RMS output noise, 500 mA, for clean analog supplies. 5V超低噪声线性稳压器。</p>",
            _boxes("HSLDO50", ("4.20", "3.80", "3.30")),
            attributes={"Output": "5 V, 500 mA", "Noise": "4.2 µV RMS", "Package": "MSOP-8"},
        ),
        Offer(
            "HS1262 evaluation board",
            "HS1262 EVM",
            "components",
            "<p>Evaluation board with USB interface and PC software for the HS1262. HS1262评估板。</p>",
            [
                ("HS1262-EVM", "Board", "680.00", None, 12, {"Kit": "Board"}),
                ("HS1262-EVM-ISO", "Board + USB isolator", "860.00", "920.00", 6, {"Kit": "Board + USB isolator"}),
            ],
            attributes={"Interface": "USB 2.0", "Software": "Windows, Linux"},
        ),
    ],
)

LIANCHUANG = Seller(
    kind="buyer_company",
    name="Suzhou Lianchuang Instruments (苏州联创仪器)",
    owner=Person("sun.wei@example.com", "Sun Wei (孙伟)", "zh-hans"),
    profile={
        "description": "Maker of laboratory balances and industrial weighing instruments. 苏州联创仪器：实验室天平与工业称重仪表。",
        "address": "8 Xinghu Street, Suzhou Industrial Park (苏州工业园区星湖街8号)",
        "city": "Suzhou",
        "latitude": "31.299000",
        "longitude": "120.738000",
    },
    staff=[(Person("xu.jing@example.com", "Xu Jing (徐静)"), "buyer")],
)

LI_NA = Seller(
    kind="personal",
    name="Li Na (李娜)",
    owner=Person("li.na@example.com", "Li Na (李娜)", "zh-hans"),
    profile={
        "city": "Nanjing",
        "description": "Photographer, selling gear I no longer use. 摄影爱好者，转让闲置器材。",
    },
    offers=[
        Offer(
            "Fujifilm X-T3 body, 18k shutter count",
            "X-T3 camera",
            "cameras",
            "<p>Bought 2021, always used with a screen protector. Box, two batteries and charger included. "
            "富士X-T3机身，快门1.8万次，盒说全。</p>",
            _one("LN-XT3", "5200.00", "6500.00"),
            kind="listing",
            condition="like_new",
            attributes={"Brand": "Fujifilm", "Shutter count": "18,000"},
            featured=True,
        ),
        Offer(
            "Canon EF 50mm f/1.8 STM lens",
            "50mm f/1.8 lens",
            "cameras",
            "<p>Sharp, light portrait lens; small mark on the hood. 佳能小痰盂三代。</p>",
            _one("LN-EF50", "520.00"),
            kind="listing",
            condition="good",
            attributes={"Brand": "Canon", "Mount": "EF"},
        ),
        Offer(
            "The Three-Body Problem trilogy, paperback set",
            "Three-Body set",
            "books",
            "<p>Chinese edition, read once. 《三体》全三册，九成新。</p>",
            _one("LN-3BODY", "45.00"),
            kind="listing",
            condition="good",
        ),
    ],
)

ZHOU_MING = Seller(
    kind="personal",
    name="Zhou Ming (周明)",
    owner=Person("zhou.ming@example.com", "Zhou Ming (周明)"),
    profile={"city": "Nanjing", "description": "Moving abroad, everything must go. 出国清仓。"},
    offers=[
        Offer(
            "Giant Escape 2 city bike, size M",
            "Giant Escape 2",
            "bikes",
            "<p>Two years old, new tyres last spring, lock included. Pick up in Xianlin. 捷安特Escape 2，仙林自提。</p>",
            _one("ZM-BIKE", "900.00"),
            kind="listing",
            condition="good",
            attributes={"Frame size": "M (500 mm)", "Gears": "2×8"},
            featured=True,
        ),
        Offer(
            "Folding bike, 20-inch wheels",
            "Folding bike",
            "bikes",
            "<p>Fits in a car boot, some scratches. 20寸折叠自行车。</p>",
            _one("ZM-FOLD", "350.00"),
            kind="listing",
            condition="fair",
        ),
        Offer(
            "Fluent Python and Python Crash Course (2 books)",
            "Python books",
            "books",
            "<p>English editions, no notes inside. 英文原版编程书两本。</p>",
            _one("ZM-PYBOOKS", "80.00"),
            kind="listing",
            condition="like_new",
        ),
    ],
)

SALON = Seller(
    kind="local_business",
    name="Qinhuai Hair Studio (秦淮美发工作室)",
    owner=Person("tang.yu@example.com", "Tang Yu (唐雨)", "zh-hans"),
    profile={
        "description": "Neighbourhood hair studio near Fuzimiao, open 10:00–21:00. 夫子庙旁的社区美发工作室。",
        "phone": "+86 25 5222 6036",
        "address": "36 Changle Road, Qinhuai District (南京市秦淮区长乐路36号)",
        "city": "Nanjing",
        "latitude": "32.016500",
        "longitude": "118.795500",
    },
    offers=[
        Offer(
            "Wash, cut & blow-dry voucher",
            "Wash & cut",
            "beauty-hair",
            "<p>Valid every day; book a time or walk in. 洗剪吹套餐，每天可用。</p>",
            _one("QH-CUT", "68.00", "128.00", stock=200, name="Voucher"),
            kind="deal",
            featured=True,
        ),
        Offer(
            "Colour and care package",
            "Colour & care",
            "beauty-hair",
            "<p>Colour with a conditioning treatment, any length. 染发+护理套餐，长短发同价。</p>",
            _one("QH-COLOUR", "298.00", "498.00", stock=100, name="Voucher"),
            kind="deal",
        ),
        Offer(
            "Scalp care treatment",
            "Scalp care",
            "beauty-hair",
            "<p>Cleansing, massage and nourishing mask. 头皮清洁护理。</p>",
            [
                ("QH-SCALP-60", "60 minutes", "158.00", None, 40, {"Duration": "60 min"}),
                ("QH-SCALP-90", "90 minutes", "218.00", None, 40, {"Duration": "90 min"}),
            ],
            kind="service",
        ),
    ],
)

HOUSEKEEPING = Seller(
    kind="local_business",
    name="Jinling Housekeeping (金陵家政)",
    owner=Person("ma.li@example.com", "Ma Li (马丽)", "zh-hans"),
    profile={
        "description": "Trained, insured cleaners across Nanjing's main districts. 金陵家政：持证上岗，全程保险。",
        "phone": "+86 25 8663 2015",
        "address": "Room 201, 15 Zhongshan North Road, Gulou District (南京市鼓楼区中山北路15号201室)",
        "city": "Nanjing",
        "latitude": "32.070000",
        "longitude": "118.778000",
    },
    offers=[
        Offer(
            "Deep home cleaning",
            "Deep cleaning",
            "housekeeping",
            "<p>Kitchen, bathroom, windows and floors; we bring the equipment. 深度保洁，自带工具。</p>",
            [
                ("JL-DEEP-3", "3 hours", "240.00", None, 60, {"Duration": "3 h"}),
                ("JL-DEEP-5", "5 hours", "380.00", "400.00", 40, {"Duration": "5 h"}),
            ],
            kind="service",
            featured=True,
        ),
        Offer(
            "Four weekly cleanings (2 hours each)",
            "Weekly cleaning",
            "housekeeping",
            "<p>Same cleaner every week, redeem one voucher per visit. 周保洁4次卡。</p>",
            _one("JL-WEEKLY", "399.00", "480.00", stock=150, name="Voucher"),
            kind="deal",
        ),
        Offer(
            "Range hood cleaning",
            "Range hood",
            "housekeeping",
            "<p>Full disassembly and degreasing, about 90 minutes. 油烟机拆洗。</p>",
            _one("JL-HOOD", "120.00", stock=80, name="One appliance"),
            kind="service",
        ),
        Offer(
            "Move-out cleaning, up to 90 m²",
            "Move-out",
            "housekeeping",
            "<p>Get your deposit back: a whole-flat clean before you hand over the keys. 退租保洁。</p>",
            _one("JL-MOVE", "460.00", stock=30, name="Up to 90 m²"),
            kind="service",
        ),
    ],
)

SELLERS = [WANG, HENGSHENG, LIANCHUANG, LI_NA, ZHOU_MING, SALON, HOUSEKEEPING]
