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
    title_zh: str = ""
    description_zh: str = ""

    @property
    def attributes_zh(self) -> dict:
        return {ATTRIBUTE_NAMES_ZH[name]: VALUES_ZH.get(value, value) for name, value in self.attributes.items()}


# Simplified Chinese for the demo's attribute names, attribute values and variant names (what has no entry, such
# as "TSSOP-28" or "USB 2.0", reads the same in both languages).
ATTRIBUTE_NAMES_ZH = {
    "Origin": "产地",
    "Storage": "储存",
    "Resolution": "分辨率",
    "Channels": "通道数",
    "Noise": "噪声",
    "Package": "封装",
    "Interface": "接口",
    "Data rate": "数据速率",
    "Output": "输出",
    "Drift": "温漂",
    "Software": "软件",
    "Brand": "品牌",
    "Shutter count": "快门次数",
    "Mount": "卡口",
    "Frame size": "车架尺寸",
    "Gears": "变速",
}
VALUES_ZH = {
    "Yantai, Shandong": "山东烟台",
    "Cool and dry": "阴凉干燥处",
    "24-bit": "24 位",
    "10 single-ended / 5 differential": "10 路单端 / 5 路差分",
    "4 single-ended / 2 differential": "4 路单端 / 2 路差分",
    "8 single-ended / 4 differential": "8 路单端 / 4 路差分",
    "8 differential / 15 pseudo-differential": "8 路差分 / 15 路伪差分",
    "23 bits noise-free": "23 位无噪声",
    "Fujifilm": "富士",
    "Canon": "佳能",
    "M (500 mm)": "M（500 毫米）",
}
VARIANT_NAMES_ZH = {
    "500 g": "500 克",
    "1 kg": "1 公斤",
    "5 kg box": "5 公斤箱装",
    "Box of 50": "50 只/盒",
    "Box of 250": "250 只/盒",
    "Reel of 1000": "1000 只/卷",
    "Board": "评估板",
    "Board + USB isolator": "评估板 + USB 隔离器",
    "Voucher": "券",
    "60 minutes": "60 分钟",
    "90 minutes": "90 分钟",
    "3 hours": "3 小时",
    "5 hours": "5 小时",
    "One appliance": "一台",
    "Up to 90 m²": "90 平方米以内",
}


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
NEIGHBOURS = [  # more consumers near the local businesses (so a group-buy can tip, a salon has today's bookings)
    Person("li.hua@example.com", "Li Hua (李华)", "zh-hans"),
    Person("sam.wu@example.com", "Sam Wu", "en"),
]


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
            "<p>Crisp, sweet Red Fuji apples from Yantai, Shandong.</p>",
            _fruit("WF-APPLE", ("9.90", "18.80", "79.00"), (None, None, "99.00")),
            featured=True,
            colour="#dc2626",
            attributes={"Origin": "Yantai, Shandong", "Storage": "Cool and dry"},
            title_zh="烟台红富士苹果",
            description_zh="<p>山东烟台红富士苹果，果园现摘，脆甜多汁。</p>",
        ),
        Offer(
            "Sunshine Rose grapes",
            "Sunshine Rose",
            "fruit",
            "<p>Seedless green grapes with a rose aroma.</p>",
            _fruit("WF-GRAPE", ("29.90", "56.00", "258.00"), ("35.90", None, None)),
            featured=True,
            colour="#65a30d",
            title_zh="阳光玫瑰葡萄",
            description_zh="<p>阳光玫瑰葡萄，无籽，带玫瑰香气。</p>",
        ),
        Offer(
            "Hainan Guifei mangoes",
            "Guifei mango",
            "fruit",
            "<p>Small, fragrant red-blush mangoes from Hainan.</p>",
            _fruit("WF-MANGO", ("12.80", "24.00", "99.00")),
            colour="#f59e0b",
            title_zh="海南贵妃芒",
            description_zh="<p>海南贵妃芒，个小味香，果肉细腻。</p>",
        ),
        Offer(
            "Zhouzhi kiwifruit",
            "Kiwifruit",
            "fruit",
            "<p>Green-fleshed kiwifruit from Zhouzhi, Shaanxi.</p>",
            _fruit("WF-KIWI", ("8.80", "16.50", "69.00")),
            colour="#4d7c0f",
            title_zh="周至猕猴桃",
            description_zh="<p>陕西周至绿心猕猴桃，酸甜适口。</p>",
        ),
        Offer(
            "Dandong strawberries",
            "Strawberries",
            "fruit",
            "<p>Large winter strawberries from Dandong, Liaoning.</p>",
            _fruit("WF-STRAW", ("39.90", "75.00", "358.00"), ("49.90", "89.00", None), stock=40),
            featured=True,
            colour="#e11d48",
            title_zh="丹东九九草莓",
            description_zh="<p>辽宁丹东冬季大草莓。</p>",
        ),
        Offer(
            "Yantai cherries",
            "Cherries",
            "fruit",
            "<p>Dark red sweet cherries, hand-picked.</p>",
            _fruit("WF-CHERRY", ("59.00", "112.00", "520.00"), stock=30),
            colour="#9f1239",
            title_zh="烟台大樱桃",
            description_zh="<p>烟台深红大樱桃，人工采摘。</p>",
        ),
        Offer(
            "Guanxi honey pomelo",
            "Honey pomelo",
            "fruit",
            "<p>Juicy white-flesh pomelo from Pinghe, Fujian.</p>",
            _fruit("WF-POMELO", ("6.90", "12.90", "52.00")),
            colour="#eab308",
            title_zh="琯溪蜜柚",
            description_zh="<p>福建平和琯溪白肉蜜柚，汁多味甜。</p>",
        ),
        Offer(
            "Red dragon fruit",
            "Dragon fruit",
            "fruit",
            "<p>Red-fleshed pitaya, rich in colour and flavour.</p>",
            _fruit("WF-PITAYA", ("11.80", "22.00", "95.00"), (None, "25.00", None)),
            colour="#db2777",
            title_zh="红心火龙果",
            description_zh="<p>红心火龙果，色泽艳丽，味道浓郁。</p>",
        ),
        Offer(
            "Huangyan mandarins",
            "Mandarins",
            "fruit",
            "<p>Thin-skinned, easy-peel mandarins from Huangyan, Zhejiang.</p>",
            _fruit("WF-MANDARIN", ("7.50", "13.90", "58.00"), (None, None, "68.00")),
            colour="#ea580c",
            title_zh="黄岩蜜桔",
            description_zh="<p>浙江黄岩蜜桔，皮薄易剥。</p>",
        ),
        Offer(
            "Winter jujubes",
            "Winter jujube",
            "fruit",
            "<p>Crunchy fresh jujubes from Zhanhua, Shandong.</p>",
            _fruit("WF-JUJUBE", ("15.80", "29.80", "128.00")),
            colour="#b45309",
            title_zh="沾化冬枣",
            description_zh="<p>山东沾化鲜冬枣，脆甜爽口。</p>",
        ),
        Offer(
            "Korla fragrant pears",
            "Fragrant pear",
            "fruit",
            "<p>Small aromatic pears from Korla, Xinjiang.</p>",
            _fruit("WF-PEAR", ("9.80", "18.50", "79.00")),
            featured=True,
            colour="#a3a635",
            title_zh="库尔勒香梨",
            description_zh="<p>新疆库尔勒香梨，个小香浓。</p>",
        ),
        Offer(
            "Feizixiao lychees",
            "Lychees",
            "fruit",
            "<p>Early-season lychees from Maoming, Guangdong.</p>",
            _fruit("WF-LYCHEE", ("26.80", "49.90", "228.00"), ("32.80", "59.90", None), stock=30),
            colour="#be123c",
            title_zh="妃子笑荔枝",
            description_zh="<p>广东茂名早熟妃子笑荔枝。</p>",
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
            "excitation; for weigh scales, strain gauges and industrial instruments.</p>",
            _boxes("HS1262", ("49.00", "46.00", "42.00")),
            attributes=_adc(
                "24-bit",
                "10 single-ended / 5 differential",
                "7 nV RMS",
                "TSSOP-28",
                **{"Data rate": "2.5 SPS–38.4 kSPS"},
            ),
            featured=True,
            title_zh="HS1262 24 位 Σ-Δ 模数转换器，10 通道，低噪声（ADS1262 同级）",
            description_zh="<p>高精度、低噪声 24 位 Σ-Δ 模数转换器，内置 PGA、基准电压源和传感器激励，适用于电子秤、应变计和工业仪表。</p>",
        ),
        Offer(
            "HS1263 24-bit ΣΔ ADC with auxiliary 24-bit ADC (ADS1263-class)",
            "HS1263 dual ADC",
            "adcs",
            "<p>Like the HS1262, plus an auxiliary 24-bit ADC for background temperature and diagnostics.</p>",
            _boxes("HS1263", ("58.00", "54.50", "50.00")),
            attributes=_adc("24-bit", "10 single-ended / 5 differential", "7 nV RMS", "TSSOP-28"),
            title_zh="HS1263 24 位 Σ-Δ 模数转换器，带辅助 24 位 ADC（ADS1263 同级）",
            description_zh="<p>在 HS1262 的基础上增加一路辅助 24 位 ADC，用于后台温度测量和诊断。</p>",
        ),
        Offer(
            "HS1220 24-bit 4-channel low-power ΣΔ ADC (ADS1220-class)",
            "HS1220 low-power",
            "adcs",
            "<p>Small, low-power 24-bit ADC with PGA and two excitation current sources, for RTD and "
            "thermocouple front ends.</p>",
            _boxes("HS1220", ("12.50", "11.60", "10.40")),
            attributes=_adc("24-bit", "4 single-ended / 2 differential", "90 nV RMS", "TSSOP-16"),
            title_zh="HS1220 24 位 4 通道低功耗 Σ-Δ 模数转换器（ADS1220 同级）",
            description_zh="<p>小封装、低功耗 24 位 ADC，内置 PGA 和两路激励电流源，适用于 RTD 和热电偶前端。</p>",
        ),
        Offer(
            "HS1256 24-bit 8-channel 30 kSPS ΣΔ ADC (ADS1256-class)",
            "HS1256 30 kSPS",
            "adcs",
            "<p>Very low noise 24-bit ADC at up to 30 kSPS with input buffer and PGA.</p>",
            _boxes("HS1256", ("36.00", "33.80", "31.00")),
            attributes=_adc("24-bit", "8 single-ended / 4 differential", "23 bits noise-free", "SSOP-28"),
            featured=True,
            title_zh="HS1256 24 位 8 通道 30 kSPS Σ-Δ 模数转换器（ADS1256 同级）",
            description_zh="<p>超低噪声 24 位 ADC，最高 30 kSPS，带输入缓冲器和 PGA。</p>",
        ),
        Offer(
            "HS7124 24-bit 8-channel low-noise ADC for sensors (AD7124-class)",
            "HS7124 sensor ADC",
            "adcs",
            "<p>Low-noise, low-power 24-bit sigma-delta ADC with on-chip diagnostics.</p>",
            _boxes("HS7124", ("41.00", "38.50", "35.00")),
            attributes=_adc("24-bit", "8 differential / 15 pseudo-differential", "23 nV RMS", "LFCSP-32"),
            title_zh="HS7124 传感器用 24 位 8 通道低噪声模数转换器（AD7124 同级）",
            description_zh="<p>低噪声、低功耗 24 位 Σ-Δ ADC，带片上诊断功能。</p>",
        ),
        Offer(
            "HSREF25 2.5 V ultra-low-noise voltage reference (REF5025-class)",
            "2.5 V reference",
            "components",
            "<p>3 ppm/°C, 3 µVpp/V reference to pair with 24-bit converters.</p>",
            _boxes("HSREF25", ("8.60", "7.90", "7.10")),
            attributes={"Output": "2.5 V", "Noise": "3 µVpp/V", "Drift": "3 ppm/°C", "Package": "SOIC-8"},
            title_zh="HSREF25 2.5 V 超低噪声基准电压源（REF5025 同级）",
            description_zh="<p>3 ppm/°C、3 µVpp/V 基准电压源，可搭配 24 位转换器使用。</p>",
        ),
        Offer(
            "HSLDO50 5 V 500 mA ultra-low-noise LDO regulator",
            "5 V low-noise LDO",
            "components",
            "<p>4.2 µV RMS output noise, 500 mA, for clean analog supplies.</p>",
            _boxes("HSLDO50", ("4.20", "3.80", "3.30")),
            attributes={"Output": "5 V, 500 mA", "Noise": "4.2 µV RMS", "Package": "MSOP-8"},
            title_zh="HSLDO50 5 V 500 mA 超低噪声 LDO 线性稳压器",
            description_zh="<p>输出噪声 4.2 µV RMS，500 mA，为模拟电路提供干净的电源。</p>",
        ),
        Offer(
            "HS1262 evaluation board",
            "HS1262 EVM",
            "components",
            "<p>Evaluation board with USB interface and PC software for the HS1262.</p>",
            [
                ("HS1262-EVM", "Board", "680.00", None, 12, {"Kit": "Board"}),
                ("HS1262-EVM-ISO", "Board + USB isolator", "860.00", "920.00", 6, {"Kit": "Board + USB isolator"}),
            ],
            attributes={"Interface": "USB 2.0", "Software": "Windows, Linux"},
            title_zh="HS1262 评估板",
            description_zh="<p>HS1262 评估板，带 USB 接口和 PC 软件。</p>",
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
    staff=[
        (Person("xu.jing@example.com", "Xu Jing (徐静)"), "purchaser"),
        (Person("zhou.min@example.com", "Zhou Min (周敏)"), "approver"),
    ],
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
            "<p>Bought 2021, always used with a screen protector. Box, two batteries and charger included.</p>",
            _one("LN-XT3", "5200.00", "6500.00"),
            kind="listing",
            condition="like_new",
            attributes={"Brand": "Fujifilm", "Shutter count": "18,000"},
            featured=True,
            title_zh="富士 X-T3 机身，快门 1.8 万次",
            description_zh="<p>2021 年购入，一直贴膜使用。包装盒、两块电池和充电器齐全。</p>",
        ),
        Offer(
            "Canon EF 50mm f/1.8 STM lens",
            "50mm f/1.8 lens",
            "cameras",
            "<p>Sharp, light portrait lens; small mark on the hood.</p>",
            _one("LN-EF50", "520.00"),
            kind="listing",
            condition="good",
            attributes={"Brand": "Canon", "Mount": "EF"},
            title_zh="佳能 EF 50mm f/1.8 STM 镜头",
            description_zh="<p>锐利轻便的人像镜头（小痰盂三代），遮光罩有一处小划痕。</p>",
        ),
        Offer(
            "The Three-Body Problem trilogy, paperback set",
            "Three-Body set",
            "books",
            "<p>Chinese edition, read once.</p>",
            _one("LN-3BODY", "45.00"),
            kind="listing",
            condition="good",
            title_zh="《三体》三部曲平装套装",
            description_zh="<p>中文版，只读过一遍，九成新。</p>",
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
            "<p>Two years old, new tyres last spring, lock included. Pick up in Xianlin.</p>",
            _one("ZM-BIKE", "900.00"),
            kind="listing",
            condition="good",
            attributes={"Frame size": "M (500 mm)", "Gears": "2×8"},
            featured=True,
            title_zh="捷安特 Escape 2 城市自行车，M 码",
            description_zh="<p>骑了两年，去年春天换了新轮胎，附送车锁。仙林自提。</p>",
        ),
        Offer(
            "Folding bike, 20-inch wheels",
            "Folding bike",
            "bikes",
            "<p>Fits in a car boot, some scratches.</p>",
            _one("ZM-FOLD", "350.00"),
            kind="listing",
            condition="fair",
            title_zh="20 寸折叠自行车",
            description_zh="<p>可放进汽车后备箱，有些划痕。</p>",
        ),
        Offer(
            "Fluent Python and Python Crash Course (2 books)",
            "Python books",
            "books",
            "<p>English editions, no notes inside.</p>",
            _one("ZM-PYBOOKS", "80.00"),
            kind="listing",
            condition="like_new",
            title_zh="《流畅的 Python》和《Python 编程：从入门到实践》（英文原版 2 本）",
            description_zh="<p>英文原版，书内没有笔记。</p>",
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
            "<p>Valid every day; book a time or walk in.</p>",
            _one("QH-CUT", "68.00", "128.00", stock=200, name="Voucher"),
            kind="deal",
            featured=True,
            title_zh="洗剪吹套餐券",
            description_zh="<p>每天可用，可预约，也可直接到店。</p>",
        ),
        Offer(
            "Colour and care package",
            "Colour & care",
            "beauty-hair",
            "<p>Colour with a conditioning treatment, any length.</p>",
            _one("QH-COLOUR", "298.00", "498.00", stock=100, name="Voucher"),
            kind="deal",
            title_zh="染发护理套餐",
            description_zh="<p>染发并做护理，长短发同价。</p>",
        ),
        Offer(
            "Scalp care treatment",
            "Scalp care",
            "beauty-hair",
            "<p>Cleansing, massage and nourishing mask.</p>",
            _one("QH-SCALP", "158.00", stock=1000, name="60 minutes"),
            kind="service",
            title_zh="头皮护理",
            description_zh="<p>头皮清洁、按摩和滋养面膜。</p>",
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
            "<p>Kitchen, bathroom, windows and floors; we bring the equipment.</p>",
            _one("JL-DEEP", "240.00", stock=1000, name="3 hours"),
            kind="service",
            featured=True,
            title_zh="家庭深度保洁",
            description_zh="<p>厨房、卫生间、窗户和地面，我们自带工具。</p>",
        ),
        Offer(
            "Four weekly cleanings (2 hours each)",
            "Weekly cleaning",
            "housekeeping",
            "<p>Same cleaner every week, redeem one voucher per visit.</p>",
            _one("JL-WEEKLY", "399.00", "480.00", stock=150, name="Voucher"),
            kind="deal",
            title_zh="周保洁 4 次卡（每次 2 小时）",
            description_zh="<p>每周由同一位保洁员上门，每次核销一张券。</p>",
        ),
        Offer(
            "Range hood cleaning",
            "Range hood",
            "housekeeping",
            "<p>Full disassembly and degreasing, about 90 minutes.</p>",
            _one("JL-HOOD", "120.00", stock=80, name="One appliance"),
            kind="service",
            title_zh="油烟机清洗",
            description_zh="<p>整机拆洗去油，约 90 分钟。</p>",
        ),
        Offer(
            "Move-out cleaning, up to 90 m²",
            "Move-out",
            "housekeeping",
            "<p>Get your deposit back: a whole-flat clean before you hand over the keys.</p>",
            _one("JL-MOVE", "460.00", stock=30, name="Up to 90 m²"),
            kind="service",
            title_zh="退租保洁（90 平方米以内）",
            description_zh="<p>交钥匙前整套房屋保洁，帮您拿回押金。</p>",
        ),
    ],
)

SELLERS = [WANG, HENGSHENG, LIANCHUANG, LI_NA, ZHOU_MING, SALON, HOUSEKEEPING]
