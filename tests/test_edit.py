"""dossier/edit.py: the one module that changes dossier.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from dossier import edit
from dossier.errors import DossierInvalidError
from dossier.loader import load_dossier

SCHEME = "suzhou-green-factory"


def test_set_keeps_comments_and_style_and_backs_up(example_copy):
    directory = example_copy(SCHEME)
    file = directory / "dossier.yaml"
    before = file.read_text(encoding="utf-8")
    e = edit.DossierEdit(directory)
    outcome = e.set("subject.address", "江苏省苏州市吴江区汾湖大道1号")
    assert outcome.status == edit.CHANGED and outcome.old == "江苏省苏州市吴江区黎里镇汾湖高新区汾越路1688号"
    assert outcome.line == 17
    saved = e.save(now=dt.datetime(2026, 12, 1, 9, 30, 0))
    after = file.read_text(encoding="utf-8")
    # only that line changed; its quoting and its comment are kept
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [('  address: "江苏省苏州市吴江区黎里镇汾湖高新区汾越路1688号"  # 地址',
                        '  address: "江苏省苏州市吴江区汾湖大道1号"  # 地址')]
    assert saved.backup.name == "dossier.yaml.bak-20261201-093000"
    assert saved.backup.read_text(encoding="utf-8") == before
    assert load_dossier(directory).dossier.subject.address == "江苏省苏州市吴江区汾湖大道1号"


def test_backup_names_never_collide(example_copy):
    directory = example_copy(SCHEME)
    now = dt.datetime(2026, 12, 1, 9, 30, 0)
    names = []
    for address in ("甲路1号", "乙路2号", "丙路3号"):
        e = edit.DossierEdit(directory)
        e.set("subject.address", address)
        names.append(e.save(now=now).backup.name)
    assert names == ["dossier.yaml.bak-20261201-093000", "dossier.yaml.bak-20261201-093000-1",
                     "dossier.yaml.bak-20261201-093000-2"]
    assert (directory / names[1]).read_text(encoding="utf-8").count("甲路1号") == 1


def test_fill_never_overwrites_a_typed_value(example_copy):
    directory = example_copy(SCHEME)
    e = edit.DossierEdit(directory)
    conflict = e.fill("subject.credit_code", "913205000000000000")
    same = e.fill("subject.credit_code", "91320509MA7K3D2W58")
    assert conflict.status == edit.CONFLICT and conflict.old == "91320509MA7K3D2W58"
    assert "保留原值" in str(conflict) and "第 20 行" in str(conflict)
    assert same.status == edit.SAME
    assert not e.changed  # nothing to write
    assert e.save().backup is None


def test_fill_writes_an_empty_field_with_its_source(example_copy):
    directory = example_copy(SCHEME)
    file = directory / "dossier.yaml"
    text = file.read_text(encoding="utf-8").replace("  postal_code: \"215211\"  # 邮政编码", "  postal_code:  # 邮政编码")
    file.write_text(text, encoding="utf-8")
    e = edit.DossierEdit(directory)
    outcome = e.fill("subject.postal_code", "215211", source="营业执照.pdf 第 1 页")
    assert outcome.status == edit.FILLED
    e.save()
    assert '  postal_code: "215211"  # 邮政编码；来源：营业执照.pdf 第 1 页' in file.read_text(encoding="utf-8")


@pytest.mark.parametrize(("path", "value", "field", "words"), [
    ("subject.legal_representative.email", "没有at符号", "subject.legal_representative.email", "电子邮箱格式不正确"),
    # validated as the next `dossier validate` reads it: the evidence paths included
    ("subject.certifications[0].file", "../../../etc/passwd", "subject.certifications.0.file", "档案目录以外"),
])
def test_invalid_result_is_not_written(example_copy, path, value, field, words):
    directory = example_copy(SCHEME)
    file = directory / "dossier.yaml"
    before = file.read_bytes()
    e = edit.DossierEdit(directory)
    e.set(path, value)
    with pytest.raises(DossierInvalidError) as info:
        e.save()
    assert [i.path for i in info.value.issues] == [field]
    assert words in str(info.value)
    assert file.read_bytes() == before
    assert not list(directory.glob("dossier.yaml.bak-*"))


def test_second_save_from_an_old_version_is_a_conflict(example_copy):
    directory = example_copy(SCHEME)
    file = directory / "dossier.yaml"
    base_text = file.read_text(encoding="utf-8")
    base_version = edit.file_version(directory)
    first = edit.DossierEdit.from_base(directory, base_text, base_version)
    first.set("subject.industry", "汽车零部件制造")
    first.save()
    with pytest.raises(edit.ConflictError) as info:
        edit.DossierEdit.from_base(directory, base_text, base_version)
    assert [(d.path, d.before, d.after) for d in info.value.differences] == [
        ("subject.industry", "汽车零部件及配件制造", "汽车零部件制造")]
    assert "subject.industry" in str(info.value)
    # a change on disk between open and save is caught as well
    e = edit.DossierEdit(directory)
    e.set("subject.industry", "压铸")
    file.write_text(file.read_text(encoding="utf-8").replace("汽车零部件制造", "铸造"), encoding="utf-8")
    with pytest.raises(edit.ConflictError):
        e.save()
    assert "industry: 铸造" in file.read_text(encoding="utf-8")


def test_yes_no_answers_and_lists_keep_their_style(tmp_path):
    data = edit.load_yaml_text('a: 是  # 问题\nb: ["x", "y"]  # 列表\n', tmp_path / "d.yaml").data
    assert edit.set_value(data, ("a",), False).status == edit.CHANGED
    edit.set_value(data, ("b",), ["x", "z", "w"])
    lines = edit.dump_yaml(data).splitlines()
    assert lines[0] == "a: 否  # 问题"
    assert lines[1].startswith('b: ["x", "z", "w"]') and lines[1].endswith("# 列表")


def test_aligned_comments_stay_aligned_and_snug_ones_snug(tmp_path):
    text = "a: 1     # 对齐的注释\nbb: 22   # 对齐的注释\nname: 汽车零部件及配件制造  # 所属行业名称\n"
    data = edit.load_yaml_text(text, tmp_path / "d.yaml").data
    edit.set_value(data, ("a",), 3)
    edit.set_value(data, ("name",), "汽车零部件制造")
    assert edit.dump_yaml(data).splitlines() == ["a: 3     # 对齐的注释", "bb: 22   # 对齐的注释", "name: 汽车零部件制造  # 所属行业名称"]


def test_paths():
    assert edit.parse_path("years.2024.energy.electricity") == ("years", 2024, "energy", "electricity")
    assert edit.parse_path("subject.certifications[2].number") == ("subject", "certifications", 2, "number")
    assert edit.dotted(("years", 2024, "energy")) == "years.2024.energy"
    assert edit.dotted(("subject", "certifications", 2, "number")) == "subject.certifications[2].number"
