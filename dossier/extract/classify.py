"""Recognise a document's type from its text, by each template's keywords.

Keywords are matched on the text with every space and cell boundary removed, so
``营 业 执 照``, ``营业执照`` and an OCR's ``营业 执照`` all count. A template is a
candidate when all its ``all`` keywords occur, one of each ``one_of`` group, none of
its ``none`` keywords, and at least ``min_any`` of its ``any`` keywords; the candidate with most keyword hits wins,
a ``title`` word in the first lines counting ten (ties: the first template in
file-name order).
"""

from __future__ import annotations

import re

from .doctypes import CompiledTemplate

# Certificates and notices say what they are on the first pages; reading the whole of
# a 60-page report only adds noise ("本公司已获得质量管理体系认证证书" on page 40).
CLASSIFY_CHARS = 6000
# A document says what it is in its title, in the first lines (after a letterhead or
# "附件3"): a title word there outweighs any number of keywords further down, so an
# application form quoting "产品碳足迹" and "ISO 14067" in its indicator table is
# still a form.
TITLE_CHARS = 120
TITLE_BONUS = 10


def squash(text: str) -> str:
    """Without spaces and cell boundaries, case-folded ("Management System" =
    "MANAGEMENTSYSTEM")."""
    return re.sub(r"[\s|]+", "", text).casefold()


def classify(text: str, templates: tuple[CompiledTemplate, ...]) -> CompiledTemplate | None:
    head = squash(text)[:CLASSIFY_CHARS]
    best, best_score = None, 0
    for template in templates:
        rec = template.template.recognise
        if not all(squash(k) in head for k in rec.all):
            continue
        if any(squash(k) in head for k in rec.none):
            continue
        if not all(any(squash(k) in head for k in group) for group in rec.one_of):
            continue
        hits = sum(1 for k in rec.any if squash(k) in head)
        if rec.any and hits < rec.min_any:
            continue
        score = 2 * len(rec.all) + len(rec.one_of) + hits
        if any(squash(k) in head[:TITLE_CHARS] for k in rec.title):
            score += TITLE_BONUS
        if score > best_score:
            best, best_score = template, score
    return best
