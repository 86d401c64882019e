"""The dossier model's value rules: credit codes, dates, numbers, the year window."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from dossier.credit_code import check_char, check_digit_warning, shape_error
from dossier.model import Dossier, Subject, YearData


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91110000802100433B", "91110108551385082Q", "91440300708461136T"],
)
def test_known_good_credit_codes(code):
    # Test vectors of GB 32100 implementations (hutool CreditCodeUtil and others).
    assert shape_error(code) is None
    assert check_digit_warning(code) is None
    assert check_char(code[:17]) == code[17]


def test_a_wrong_check_digit_gives_the_expected_one():
    warning = check_digit_warning("91350100M000100Y44")
    assert warning and "应为 3" in warning


def test_an_early_pilot_code_is_accepted_with_a_warning():
    # 福建 91350100M0001TGQXM is legally issued yet fails the check (shape is fine).
    subject = Subject(credit_code="91350100M0001TGQXM")
    assert subject.credit_code == "91350100M0001TGQXM"
    assert check_digit_warning(subject.credit_code)


@pytest.mark.parametrize("bad", ["9135010", "91350100M000100Y4O", "91ABCDEFM000100Y43"])
def test_malformed_codes_are_rejected(bad):
    with pytest.raises(ValidationError):
        Subject(credit_code=bad)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2015-03-01", dt.date(2015, 3, 1)), ("2015年3月1日", dt.date(2015, 3, 1)), ("2015.03.01", dt.date(2015, 3, 1))],
)
def test_dates_in_the_usual_chinese_forms(written, expected):
    assert Subject(founded=written).founded == expected


@pytest.mark.parametrize("bad", [20150301, "2015-02-30", "去年"])
def test_not_dates(bad):
    with pytest.raises(ValidationError):
        Subject(founded=bad)


def test_numbers_with_thousands_separators():
    assert YearData(output_value="12,345.6").output_value == pytest.approx(12345.6)
    with pytest.raises(ValidationError):
        YearData(output_value="约一万")
    with pytest.raises(ValidationError):
        YearData(output_value=True)


def test_unknown_energy_carrier_suggests_the_right_one():
    with pytest.raises(ValidationError, match="natural_gas"):
        YearData(energy={"natural_gass": 12})


def test_phone_numbers_stay_text():
    subject = Subject(contact={"name": "张三", "phone": 13800138000})
    assert subject.contact.phone == "13800138000"


def test_industry_codes():
    assert Subject(industry_codes=[3825, "C3982"]).industry_codes == ["3825", "C3982"]
    with pytest.raises(ValidationError):
        Subject(industry_codes=["382"])


def test_the_window_is_the_three_years_before_the_reporting_year():
    dossier = Dossier(scheme="x", reporting_year=2026)
    assert dossier.window == [2023, 2024, 2025]
    assert dossier.last_year == 2025


def test_compliance_answers_in_chinese():
    dossier = Dossier(scheme="x", reporting_year=2026, compliance={"C1": "否", "C2": "是"})
    assert dossier.compliance == {"C1": False, "C2": True}


@pytest.mark.parametrize("block", ["indicators", "basic_conditions", "bonus"])
@pytest.mark.parametrize("who", ["self", "evaluator"])
def test_negative_points_are_refused_in_self_assessment_and_findings(block, who):
    answer = {"status": "部分符合", "points": "-1.5"}
    data = {"scheme": "x", "reporting_year": 2026, block: {"a1": answer}}
    if who == "evaluator":
        data = {"scheme": "x", "reporting_year": 2026, "evaluator": {block: {"a1": answer}}}
    with pytest.raises(ValidationError, match="得分不能为负数"):
        Dossier.model_validate(data)
    answer["points"] = "2.5"
    dossier = Dossier.model_validate(data)
    held = (dossier.evaluator if who == "evaluator" else dossier)
    assert getattr(held, block)["a1"].points == 2.5
