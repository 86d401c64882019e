"""Rendering a page template (the tab titles every dossier page shows); shared by the
pages and the login form, so neither imports the other."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

TAB_TITLES = {"basic": "基本信息", "years": "年度数据", "self": "自评", "evidence": "证明材料", "score": "评分",
              "forms": "表单", "package": "材料包", "rollover": "新年度", "workbook": "Excel 工作簿",
              "findings": "第三方评价", "audit": "修改记录"}


def render(request: Request, template: str, context: dict, status: int = 200) -> Response:
    context.setdefault("tab_titles", TAB_TITLES)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
