"""The dossier model: one enterprise's (or park's) data for one programme.

``dossier.yaml`` is validated against these models. Every field carries a Chinese
``description``: ``dossier init`` writes it as the comment beside the field, and
validation messages use it. Amounts carry their unit in the description; money is in
万元 throughout (forms that print 亿元 convert).

Cross-checks against the scheme (answer ids, application type, narrative ids) live in
:mod:`dossier.loader`, which knows the scheme.
"""

# No ``from __future__ import annotations`` here: pydantic would then compile every
# annotation string when the models are built, at the start of every command (issue 20).
import datetime as dt
import math
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .resources import data_file

# --- value types --------------------------------------------------------------------

_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),  # 2015-03-01
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),  # 2015年3月1日
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),  # 2015.03.01
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),  # 2015/03/01
)


def _to_date(value: Any) -> Any:
    """Accept a YAML date or a date written the common Chinese ways; reject numbers.

    Pydantic would read ``founded: 20150301`` as a Unix timestamp (1970-08-22): a
    number where a date belongs is an error, not a date.
    """
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        parsed = parse_date_text(value)
        if parsed is not None:
            return parsed
    raise ValueError("应为日期，格式 YYYY-MM-DD（例如 2015-03-01）")


def parse_date_text(text: str) -> dt.date | None:
    """"2015-03-01", "2015年3月1日", "2015.03.01", "2015/03/01" → a date; None when the text
    has none of these shapes; ValueError("不存在的日期：…") for 2015-02-30."""
    text = text.strip()
    for pattern in _DATE_FORMS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"不存在的日期：{text}") from None
    return None


MAX_MAGNITUDE = 1e15  # larger than any figure of a factory or park, in any unit the forms use


def _finite(number: float | int) -> float | int:
    """A real, finite, plausible number: NaN, ±Inf and 5 000-digit integers are errors."""
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("应为有限的数字，不能是 .nan / .inf")
    if abs(number) > MAX_MAGNITUDE:
        raise ValueError(f"数值过大（超过 {MAX_MAGNITUDE:.0e}），请检查单位和位数")
    return number


def _to_number(value: Any) -> Any:
    """Accept numbers and numeric text with thousands separators (``"12,345.6"``)."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError("应为数字，不能是 是/否")
        return value
    if isinstance(value, (int, float)):
        return _finite(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"应为数字（不带单位），实际为 {value!r}") from None
        return _finite(number)
    raise ValueError(f"应为数字，实际为 {type(value).__name__}")


def _to_count(value: Any) -> Any:
    """A count (people, enterprises, items): a whole number, not negative."""
    if isinstance(value, bool):
        raise ValueError("应为整数，不能是 是/否")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"不能为负数（实际为 {value}）")
        return _finite(value)
    return value  # pydantic reports anything else as "not an integer"


def _to_measure(value: Any) -> Any:
    """An indicator value: a number (numeric text included), a short text, or empty."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        try:
            return _to_number(value)
        except ValueError:
            return value.strip()  # a qualitative indicator: "已建成"
    return _to_number(value)


def _not_negative_points(value: float) -> float:
    if value < 0:
        raise ValueError("得分不能为负数")
    return value


Date = Annotated[dt.date, BeforeValidator(_to_date)]
Measure = Annotated[Any, BeforeValidator(_to_measure)]
Number = Annotated[float, BeforeValidator(_to_number)]
Count = Annotated[int, BeforeValidator(_to_count)]
Points = Annotated[float, BeforeValidator(_to_number), AfterValidator(_not_negative_points)]  # points awarded
Status = Literal["符合", "部分符合", "不符合", "不适用"]
STATUSES: tuple[str, ...] = ("符合", "部分符合", "不符合", "不适用")
Ownership = Literal["国有", "集体", "民营", "中外合资", "港澳台", "外商独资"]


# Fields marked OPTIONAL are never listed as "still empty" by `dossier validate`.
OPTIONAL = {"optional": True}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --- energy carriers -----------------------------------------------------------------


@lru_cache(maxsize=1)
def energy_carriers() -> dict[str, dict[str, Any]]:
    path = data_file("energy_carriers.yaml")
    from .yamlread import read_yaml

    rows = read_yaml(path).data["carriers"]
    return {row["id"]: row for row in rows}


# --- the subject ---------------------------------------------------------------------


class Person(_Model):
    name: str | None = Field(None, description="姓名")
    title: str | None = Field(None, description="职务")
    department: str | None = Field(None, description="部门")
    phone: str | None = Field(None, description="电话")
    mobile: str | None = Field(None, description="手机")
    fax: str | None = Field(None, description="传真")
    email: str | None = Field(None, description="电子邮箱")

    @field_validator("phone", "mobile", "fax", mode="before")
    @classmethod
    def _phone_as_text(cls, value: Any) -> Any:
        # 13800000000 written without quotes is a YAML integer: keep it as text.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"电子邮箱格式不正确：{value}")
        return value


class Certification(_Model):
    kind: Literal["quality", "environment", "ohs", "energy", "ghg", "green_product", "product_carbon", "other"] = Field(
        description="类别：quality 质量 / environment 环境 / ohs 职业健康安全 / energy 能源 / ghg 温室气体 / "
        "green_product 绿色产品 / product_carbon 产品碳足迹 / other 其他"
    )
    standard: str | None = Field(None, description="依据标准，如 GB/T 19001-2016/ISO 9001:2015")
    number: str | None = Field(None, description="证书编号")
    body: str | None = Field(None, description="认证机构")
    scope: str | None = Field(None, description="认证范围")
    issued: Date | None = Field(None, description="发证日期")
    valid_until: Date | None = Field(None, description="有效期至")
    file: str | None = Field(None, description="证书文件（evidence/ 下的相对路径）")


class Honour(_Model):
    name: str = Field(description="荣誉名称，如 国家级绿色工厂、省专精特新小巨人企业")
    level: Literal["国家级", "省级", "市级", "区县级", "其他"] | None = Field(None, description="级别")
    year: int | None = Field(None, description="获得年份")
    batch: str | None = Field(None, description="批次")
    issuer: str | None = Field(None, description="发文/颁发单位")
    document: str | None = Field(None, description="发文文号或名称")
    file: str | None = Field(None, description="证明文件（evidence/ 下的相对路径）")


class GreenFactory(_Model):
    level: Literal["国家级", "省级", "市级"] | None = Field(None, description="绿色工厂级别")
    year: int | None = Field(None, description="获评年份")
    batch: str | None = Field(None, description="批次")
    issuer: str | None = Field(None, description="发文单位")
    document: str | None = Field(None, description="发文文号或名称")


class ParkInfo(_Model):
    level: Literal["国家级", "省级"] | None = Field(None, description="园区级别")
    park_type: str | None = Field(None, description="园区类型，如 经济技术开发区、高新技术产业开发区、省级开发区")
    city: str | None = Field(None, description="所在地市")
    established: Date | None = Field(None, description="园区成立日期")
    land_area_km2: Number | None = Field(None, description="园区用地面积（km²）")
    enterprises: Count | None = Field(None, description="入驻企业数量（家）")
    leading_industries: list[str] = Field(default_factory=list, description="园区主导产业")
    manager: Person = Field(default_factory=Person, description="园区负责人")


# What a programme is for (a scheme's ``subject``, a dossier's ``subject.kind``) and its
# Chinese name. Subject has one optional block of details per kind that needs one
# (``subject.park``), shown and asked for only where the scheme is for that kind.
SUBJECT_KINDS: dict[str, str] = {"factory": "工厂", "park": "园区"}
SubjectKind = Literal["factory", "park"]


class Subject(_Model):
    kind: SubjectKind = Field("factory", description="factory 工厂 / park 园区")
    name: str | None = Field(None, description="企业（园区）全称，与营业执照一致")
    address: str | None = Field(None, description="地址")
    postal_code: str | None = Field(None, description="邮政编码")
    city: str | None = Field(None, description="所在市（区、县）")
    credit_code: str | None = Field(None, description="统一社会信用代码（18 位）")
    legal_representative: Person = Field(default_factory=Person, description="法定代表人")
    contact: Person = Field(default_factory=Person, description="申报工作联系人")
    industry_codes: list[str] = Field(default_factory=list, description="所属行业代码（GB/T 4754-2017 四位小类代码，可多填）")
    industry: str | None = Field(None, description="所属行业名称")
    main_business: str | None = Field(None, description="主营业务")
    main_products: list[str] = Field(default_factory=list, description="主要（主导）产品")
    founded: Date | None = Field(None, description="成立日期")
    registered_capital: str | None = Field(None, description="注册资本（按营业执照填写，如 5000万元人民币）")
    ownership: Ownership | None = Field(None, description="单位性质：国有/集体/民营（内资）、中外合资、港澳台、外商独资")
    employees: Count | None = Field(None, description="职工人数")
    credit_rating: str | None = Field(None, description="信用等级")
    environmental_credit_rating: str | None = Field(None, description="环境评价信用等级")
    certifications: list[Certification] = Field(default_factory=list, description="管理体系及产品认证")
    honours: list[Honour] = Field(default_factory=list, description="主要荣誉")
    it_applications: list[str] = Field(
        default_factory=list, description="信息化应用，如 智能微电网、能源管理平台、ERP/MRPⅡ（可多项）"
    )
    green_factory: GreenFactory = Field(default_factory=GreenFactory, description="绿色工厂称号")
    park: ParkInfo | None = Field(None, description="园区信息（仅园区）")

    @field_validator("postal_code", "credit_code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("credit_code")
    @classmethod
    def _credit_code_shape(cls, value: str | None) -> str | None:
        # The check digit is only a warning (loader.py): some early codes fail it.
        from .credit_code import shape_error

        if value:
            value = value.strip().upper()
            problem = shape_error(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("industry_codes", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        if isinstance(value, (str, int)):
            value = [value]
        return [str(v) if isinstance(v, int) else v for v in value] if isinstance(value, list) else value

    @field_validator("industry_codes")
    @classmethod
    def _industry_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            # "3825" or with its 门类 letter "C3825" (GB/T 4754-2017 小类)
            if not re.fullmatch(r"[A-T]?\d{4}", code):
                raise ValueError(f"行业代码应为 GB/T 4754-2017 四位小类代码（如 3825 或 C3825），实际为 {code!r}")
        return value


# --- yearly data ---------------------------------------------------------------------


class Product(_Model):
    name: str = Field(description="产品名称")
    unit: str = Field(description="计量单位，如 万只、t、台")
    amount: Number = Field(description="产量")


class Material(_Model):
    name: str = Field(description="原材料名称")
    unit: str = Field(description="计量单位，如 t")
    amount: Number = Field(description="消耗量")
    green_amount: Number | None = Field(None, description="其中绿色物料（再生料、可回收材料等）用量")


class Emissions(_Model):
    scope1: Number | None = Field(None, description="类别1（范围1）直接排放，tCO2e")
    scope2: Number | None = Field(None, description="类别2（范围2）能源间接排放，tCO2e")
    # 类别3 is encouraged, not required (Jiangsu 指南: "鼓励工厂…对温室气体源中类别3进行核算"):
    # an empty scope3 is not reported as missing.
    scope3: Number | None = Field(None, description="类别3（范围3）其他间接排放，tCO2e（鼓励填写）", json_schema_extra=OPTIONAL)
    verified: bool | None = Field(None, description="是否经第三方核查")
    verifier: str | None = Field(None, description="核查机构")


class Pollutants(_Model):
    cod: Number | None = Field(None, description="化学需氧量 COD，t")
    ammonia: Number | None = Field(None, description="氨氮，t")
    so2: Number | None = Field(None, description="二氧化硫 SO2，t")
    nox: Number | None = Field(None, description="氮氧化物 NOx，t")
    other: dict[str, Number] = Field(default_factory=dict, description="其他污染物（名称: 吨）")


class YearData(_Model):
    output_value: Number | None = Field(None, description="工业总产值（万元，现价）")
    value_added: Number | None = Field(None, description="工业增加值（万元）")
    revenue: Number | None = Field(None, description="营业收入（万元）")
    profit: Number | None = Field(None, description="利润总额（万元）")
    tax: Number | None = Field(None, description="纳税总额（万元）")
    employees: Count | None = Field(None, description="年末职工人数")
    mu_performance_grade: str | None = Field(None, description="亩均绩效（综合）评价等级，如 A、B")
    carbon_efficiency_grade: str | None = Field(None, description="碳效评价等级，如 低碳、中碳（行业维度1档）")
    resource_intensive_grade: str | None = Field(None, description="资源集约利用评价等级（苏州），如 A、B、C")
    energy: dict[str, Number | None] = Field(default_factory=dict, description="能源消费实物量（能源品种: 数量，单位见能源品种表）")
    energy_total_tce: Number | None = Field(None, description="综合能耗（tce，当量值），报表数；留空则由能源消费计算")
    energy_total_equivalent_tce: Number | None = Field(None, description="综合能耗（tce，等价值），报表数")
    renewable_tce: Number | None = Field(None, description="可再生能源消耗量（tce），报表数；留空则由能源消费计算")
    energy_saving_rate_pct: Number | None = Field(
        None, description="综合年节能率（%），按节能量审核或能源审计报告填写（苏州节能量、综合节能率评分表）"
    )
    water_fresh_m3: Number | None = Field(None, description="新鲜水取水量（m³）")
    water_reused_m3: Number | None = Field(None, description="重复利用水量（m³）")
    land_area_m2: Number | None = Field(None, description="用地面积（m²）")
    building_area_m2: Number | None = Field(None, description="总建筑面积（m²）")
    building_footprint_m2: Number | None = Field(None, description="建筑物、构筑物及堆场占地面积（m²）")
    production: list[Product] = Field(default_factory=list, description="主要产品产量")
    raw_materials: list[Material] = Field(default_factory=list, description="主要原材料消耗量")
    emissions: Emissions = Field(default_factory=Emissions, description="温室气体排放（tCO2e）")
    solid_waste_t: Number | None = Field(None, description="工业固体废物产生量（t）")
    solid_waste_utilised_t: Number | None = Field(None, description="工业固体废物综合利用量（t）")
    hazardous_waste_t: Number | None = Field(None, description="危险废物产生量（t）")
    wastewater_t: Number | None = Field(None, description="废水产生量（t）")
    wastewater_reused_t: Number | None = Field(None, description="废水处理回用量（t）")
    waste_gas_10k_nm3: Number | None = Field(None, description="废气产生量（万Nm³）")
    pollutants: Pollutants = Field(default_factory=Pollutants, description="主要污染物产生量（t）")
    pollutants_emitted: Pollutants = Field(default_factory=Pollutants, description="主要污染物排放量（t）")
    # Park figures (Zhejiang 附件3 / 附件5-1).
    gdp: Number | None = Field(None, description="地区生产总值（万元，园区）")
    energy_terminal_tce: Number | None = Field(None, description="终端能源消费总量（tce，园区）")
    energy_industrial_tce: Number | None = Field(None, description="工业企业综合能耗总量（tce，园区）")
    green_factories: Count | None = Field(None, description="省级及以上绿色（低碳）工厂数量（家，园区）")
    green_index: dict[str, Measure] = Field(default_factory=dict, description="绿色指数指标数据（指标 id: 数值）")
    bonus_data: dict[str, Measure] = Field(default_factory=dict, description="加分项指标数据（指标 id: 数值或说明）")
    evidence: dict[str, list[str]] = Field(default_factory=dict, description="该年度各指标的证明材料索引（指标 id: [文件]）")

    @field_validator("energy")
    @classmethod
    def _known_carriers(cls, value: dict[str, float | None]) -> dict[str, float | None]:
        carriers = energy_carriers()
        for key, amount in value.items():
            if key not in carriers:
                import difflib

                hint = difflib.get_close_matches(key, carriers, n=1)
                raise ValueError(
                    f"未知的能源品种 {key!r}" + (f"（是否应为 {hint[0]}？）" if hint else "")
                    + f"；可用：{', '.join(carriers)}"
                )
            if amount is not None and amount < 0:
                raise ValueError(f"能源品种 {key} 的数量不能为负数")
        return value


# --- answers, carbon, projects --------------------------------------------------------


class Answer(_Model):
    status: Status | None = Field(None, description="符合 / 部分符合 / 不符合 / 不适用")
    points: Points | None = Field(None, description="自评得分（部分符合时填写）")
    option: str | None = Field(None, description="所选档次（按档计分的指标）")
    components: list[str] = Field(default_factory=list, description="已满足的分项（按分项计分的指标）")
    count: Count | None = Field(None, description="满足的项数（按项计分的指标）")
    statement: str | None = Field(None, description="符合性说明")
    evidence: list[str] = Field(default_factory=list, description="证明材料索引（evidence/ 下的相对路径）")


class Offset(_Model):
    type: Literal["绿证", "绿电交易", "CCER", "碳普惠", "节能项目", "边界内项目", "边界外项目", "国外减排量", "其他"] = Field(
        description="抵消方式：绿证/绿电交易/CCER/碳普惠/节能项目/边界内项目/边界外项目/国外减排量/其他"
    )
    year: int = Field(description="抵消的排放年度")
    quantity_tco2e: Number | None = Field(None, description="抵消量（tCO2e）")
    quantity_mwh: Number | None = Field(None, description="对应电量（MWh，绿证/绿电）")
    certificate: str | None = Field(None, description="凭证编号")
    description: str | None = Field(None, description="说明")
    evidence: list[str] = Field(default_factory=list, description="证明材料")


class Project(_Model):
    name: str = Field(description="项目名称")
    content: str | None = Field(None, description="具体实施内容")
    category: Literal["减碳", "零碳", "负碳"] | None = Field(None, description="降碳技术类别")
    start: Date | None = Field(None, description="开始日期")
    end: Date | None = Field(None, description="完成日期")
    investment: Number | None = Field(None, description="项目总投资（万元）")
    energy_saving_tce: Number | None = Field(None, description="年节能量（tce，等价值）")
    reduction_tco2e: Number | None = Field(None, description="年温室气体减排量（tCO2e）")
    water_saving_t: Number | None = Field(None, description="年节水量（t）")
    effect: str | None = Field(None, description="项目实施成效")
    library: Literal["省级", "市级", "县级"] | None = Field(None, description="入选经信部门节能降碳技改项目库级别")
    verified_by: str | None = Field(None, description="减排量核查（评估）机构")
    evidence: list[str] = Field(default_factory=list, description="证明材料")


class Carbon(_Model):
    baseline_scenario_tco2e: Number | None = Field(None, description="基准线情景温室气体排放量（tCO2e，GB/T 33760）")
    own_reduction_tco2e: Number | None = Field(None, description="已实施自主减排措施形成的减排量（tCO2e）；留空则按减排项目合计")
    assessment_body: str | None = Field(None, description="减排量评估报告出具机构")
    target_year: int | None = Field(None, description="承诺实现近零碳（零碳）排放的年份")
    annual_targets: dict[int, Number] = Field(default_factory=dict, description="各年度排放目标（年份: tCO2e）")


class Finding(_Model):
    """The evaluator's own assessment of one basic condition, indicator or bonus item
    (第三方评价): what the evaluator found, in the evaluator's words, and the points the
    evaluator awards. ``status``/``points``/``option``/``components``/``count`` mean what
    they mean in a self-assessment (:class:`Answer`), so the same scoring rules apply."""

    status: Status | None = Field(None, description="评价结论：符合 / 部分符合 / 不符合 / 不适用")
    points: Points | None = Field(None, description="评价得分（部分符合时填写）")
    option: str | None = Field(None, description="评定档次（按档计分的指标）")
    components: list[str] = Field(default_factory=list, description="核实满足的分项（按分项计分的指标）")
    count: int | None = Field(None, description="核实满足的项数（按项计分的指标）")
    finding: str | None = Field(None, description="评价发现（评价人的核实情况和判断）")
    evidence_checked: list[str] = Field(default_factory=list, description="核查的证明材料（evidence/ 下的相对路径或材料名称）")
    checked_on: Date | None = Field(None, description="现场核查日期")
    remarks: str | None = Field(None, description="备注")

    def as_answer(self) -> "Answer":
        """The finding in the shape the scoring rules read."""
        return Answer(status=self.status, points=self.points, option=self.option, components=list(self.components),
                      count=self.count, statement=self.finding, evidence=list(self.evidence_checked))


class TeamMember(_Model):
    name: str = Field(description="姓名")
    role: str | None = Field(None, description="评价组内职责，如 组长、组员、技术复核")
    qualification: str | None = Field(None, description="资格或职称，如 高级工程师、绿色制造评价师")


class ThirdParty(_Model):
    name: str | None = Field(None, description="第三方评价机构名称")
    address: str | None = Field(None, description="机构地址")
    legal_representative: Person = Field(default_factory=Person, description="机构法定代表人")
    contact: Person = Field(default_factory=Person, description="机构联系人")
    report_author: Person = Field(default_factory=Person, description="报告编制负责人")
    reviewer: Person = Field(default_factory=Person, description="报告审核人")
    report_date: Date | None = Field(None, description="报告日期")
    highlights: str | None = Field(None, description="受评价方主要亮点")
    team: list[TeamMember] = Field(default_factory=list, description="评价组成员", json_schema_extra=OPTIONAL)
    site_visits: list[Date] = Field(default_factory=list, description="现场评价日期", json_schema_extra=OPTIONAL)
    conclusion: str | None = Field(None, description="评价结论（评价人的结论性意见）", json_schema_extra=OPTIONAL)
    basic_conditions: dict[str, Finding] = Field(default_factory=dict, description="基本条件（基本要求）第三方评价",
                                                 json_schema_extra=OPTIONAL)
    indicators: dict[str, Finding] = Field(default_factory=dict, description="评价指标第三方评价", json_schema_extra=OPTIONAL)
    bonus: dict[str, Finding] = Field(default_factory=dict, description="加分项第三方评价", json_schema_extra=OPTIONAL)


class ReportStaff(_Model):
    """Who wrote and checked the applicant's own self-evaluation report (浙江 附件6-1)."""

    author: Person = Field(default_factory=Person, description="报告编制负责人")
    reviewer: Person = Field(default_factory=Person, description="报告审核人")


class Listing(_Model):
    year: int | None = Field(None, description="入选年份（列入绿色制造名单的年份）")
    values: dict[str, Measure] = Field(
        default_factory=dict,
        description="列入名单时指标值（指标: 数值），以后各年不变；键为动态管理表“持续改进情况”中的指标（参数）名称，"
        "不含单位，如 用地面积、单位产品或产值COD产生量（各方案的键及单位见 checklists 中该表的说明）",
    )


class SchemeParameters(_Model):
    """Figures a programme's published text lacks and the user supplies for this dossier
    (浙江园区 绿色指数 引领值, 苏州绿色工厂 1A–5A 分数线). Never invented: the engine uses
    them only when given, and prints ``source`` beside every result they decide."""

    source: str | None = Field(None, description="参数出处（如 导则附录B.2 原表；演示数据写“示例值（仅用于演示）”）")
    leading_values: dict[str, Number] = Field(
        default_factory=dict, description="绿色指数引领值（指标 id: 引领值，单位同指标）")
    level_cutoffs: dict[str, Number] = Field(
        default_factory=dict, description="等级分数线（等级名: 最低得分），如 5A: 90")


class Dossier(_Model):
    scheme: str = Field(description="方案 id（见 dossier schemes）")
    reporting_year: int = Field(description="申报（填报）年度；“近三年”为其前三年")
    application_type: str | None = Field(None, description="申报类型（方案规定的类型 id）")
    target_level: str | None = Field(None, description="申报级别（分级方案）")
    fill_date: Date | None = Field(None, description="填报日期")
    submission_date: Date | None = Field(None, description="计划提交日期（检查证书有效期的基准日）")
    subject: Subject = Field(default_factory=Subject, description="申报主体")
    years: dict[int, YearData] = Field(default_factory=dict, description="年度数据（年份: 数据）")
    basic_conditions: dict[str, Answer] = Field(default_factory=dict, description="基本条件（基本要求）自评")
    indicators: dict[str, Answer] = Field(default_factory=dict, description="评价指标自评")
    bonus: dict[str, Answer] = Field(default_factory=dict, description="加分项自评")
    carbon: Carbon = Field(default_factory=Carbon, description="碳排放与自主减排")
    offsets: list[Offset] = Field(default_factory=list, description="碳抵消")
    projects: list[Project] = Field(default_factory=list, description="节能降碳（减排）项目")
    compliance: dict[str, bool | None] = Field(default_factory=dict, description="合规性信息（问题 id: 是/否）")
    narratives: dict[str, str] = Field(default_factory=dict, description="报告正文各节")
    listing: Listing = Field(default_factory=Listing, description="列入名单信息（动态管理）")
    self_evaluation: ReportStaff = Field(default_factory=ReportStaff, description="自评价报告编制与审核人")
    evaluator: ThirdParty = Field(default_factory=ThirdParty, description="第三方评价机构")
    parameters: SchemeParameters = Field(
        default_factory=SchemeParameters, description="方案参数（方案文本缺失、由用户提供的数值）", json_schema_extra=OPTIONAL)
    review: list[str] = Field(
        default_factory=list,
        description="待复核的字段（dossier rollover 从上一年度沿用的文字和自评，如 narratives.overview；核实后删除该行）",
        json_schema_extra=OPTIONAL,
    )

    @field_validator("reporting_year")
    @classmethod
    def _plausible_year(cls, value: int) -> int:
        if not 2000 <= value <= 2100:
            raise ValueError(f"申报年度应为四位年份，实际为 {value}")
        return value

    @field_validator("compliance", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        # Users write 是/否 in a Chinese file; YAML 1.2 reads those as text.
        if isinstance(value, dict):
            mapping = {"是": True, "否": False}
            return {k: mapping.get(v, v) if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _years_plausible(self) -> "Dossier":
        for year in self.years:
            if not 1990 <= year <= self.reporting_year:
                raise ValueError(f"years 中的年份 {year} 不合理（应不晚于申报年度 {self.reporting_year}）")
        return self

    # -- the year window --------------------------------------------------------------
    @property
    def window(self) -> list[int]:
        """The three years the forms call “近三年”: the three before the reporting year."""
        return [self.reporting_year - 3, self.reporting_year - 2, self.reporting_year - 1]

    @property
    def last_year(self) -> int:
        return self.reporting_year - 1

    def year(self, year: int) -> YearData:
        return self.years.get(year) or YearData()
