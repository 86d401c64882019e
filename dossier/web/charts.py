"""Server-rendered SVG: each category's score against its maximum (horizontal bars)."""

from __future__ import annotations

from xml.sax.saxutils import escape


def _n(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def category_chart(report, width: int = 640) -> str:
    cats = [c for c in report.categories if c.max]
    label_w, bar_w, row_h = 170, width - 170 - 90, 28
    height = 30 + row_h * max(len(cats), 1) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="各类别得分"><style>text{{font-size:13px;font-family:Noto Sans CJK SC,Noto Sans SC,Microsoft YaHei,sans-serif;fill:#222}}</style>',
           '<text x="0" y="18" style="font-weight:bold">各一级指标得分 / 满分</text>']
    if not cats:
        out.append('<text x="0" y="50">本方案没有分类别的分值</text>')
    for i, c in enumerate(cats):
        y = 30 + i * row_h
        share = max(0.0, min(1.0, (c.score or 0) / c.max)) if c.max else 0.0
        colour = "#2e7d32" if share >= 0.8 else "#f9a825" if share >= 0.5 else "#c62828"
        out.append(f'<text x="0" y="{y + 17}">{escape(c.name[:12])}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" fill="#eceff1" rx="3"/>')
        out.append(f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{bar_w * share:.1f}" height="18" fill="{colour}" rx="3"/>')
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 17}">{_n(c.score)} / {_n(c.max)}</text>')
    out.append("</svg>")
    return "".join(out)
