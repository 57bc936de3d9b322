"""Small SVG charts for the report: no script, no network, printable, readable at 400 px.

Each chart is a function of plain rows returning an SVG string with a <title>
and <desc>, sized by its viewBox so it scales to the column it sits in. The
numbers drawn are the numbers passed: tests compare them with the tables.
"""

from __future__ import annotations

from html import escape

__all__ = ["bars", "columns", "grouped_bars", "heat"]

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
PALETTE = ("#1f5f99", "#c0562a", "#4f8a3a", "#7a4b9a", "#9a7b1f", "#2a8a8a")


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def grouped_bars(
    title: str, labels: list[str], series: list[tuple[str, list[float | None]]], *, width: int = 640
) -> str:
    """Horizontal bars, one group per label, one bar per series (None: suppressed, shown '<k')."""
    row_h, bar_h, left, right = 8 + 14 * len(series), 12, 130, 60
    top = 28
    height = top + row_h * len(labels) + 10
    vmax = max((v for _, vs in series for v in vs if v is not None), default=1) or 1
    scale = (width - left - right) / vmax
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="chart" {_FONT}><title>{escape(title)}</title>'
        f"<desc>{escape(title)}: "
        + "; ".join(
            f"{escape(lab)} "
            + ", ".join(
                f"{escape(n)} {'suppressed' if (v := vs[i]) is None else _fmt(v)}"
                for n, vs in series
            )
            for i, lab in enumerate(labels)
        )
        + "</desc>"
    ]
    x = left
    for k, (name, _) in enumerate(series):
        out.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{PALETTE[k]}"/>')
        out.append(f'<text x="{x + 14}" y="15">{escape(name)}</text>')
        x += 20 + 7 * len(name)
    for i, lab in enumerate(labels):
        y = top + i * row_h
        out.append(
            f'<text x="{left - 6}" y="{y + row_h / 2}" text-anchor="end">{escape(lab)}</text>'
        )
        for k, (name, vs) in enumerate(series):
            v = vs[i]
            by = y + 4 + k * 14
            if v is None:
                out.append(f'<text x="{left + 2}" y="{by + 10}" fill="#666">suppressed</text>')
                continue
            w = max(0.5, v * scale)
            out.append(
                f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[k]}"'
                f' data-label="{escape(lab)}" data-series="{escape(name)}" data-value="{v:g}"/>'
            )
            out.append(f'<text x="{left + w + 4:.1f}" y="{by + 10}">{_fmt(v)}</text>')
    out.append("</svg>")
    return "".join(out)


def bars(title: str, rows: list[tuple[str, float]], *, width: int = 640) -> str:
    return grouped_bars(title, [r[0] for r in rows], [("", [r[1] for r in rows])], width=width)


def columns(
    title: str, rows: list[tuple[str, float]], *, width: int = 640, height: int = 200
) -> str:
    """Vertical columns over time (weeks, months): label under every few columns."""
    left, bottom, top = 36, 36, 14
    n = max(1, len(rows))
    vmax = max((v for _, v in rows), default=1) or 1
    cw = (width - left - 10) / n
    ph = height - top - bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="chart" {_FONT}><title>{escape(title)}</title><desc>{escape(title)}: '
        + "; ".join(f"{escape(k)} {_fmt(v)}" for k, v in rows)
        + "</desc>",
        f'<line x1="{left}" y1="{top + ph}" x2="{width - 10}" y2="{top + ph}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{_fmt(vmax)}</text>',
        f'<text x="{left - 4}" y="{top + ph}" text-anchor="end">0</text>',
    ]
    every = max(1, round(n / 8))
    for i, (k, v) in enumerate(rows):
        h = v / vmax * ph
        x = left + i * cw
        out.append(
            f'<rect x="{x + 1:.1f}" y="{top + ph - h:.1f}" width="{max(1, cw - 2):.1f}"'
            f' height="{h:.1f}" fill="{PALETTE[0]}" data-label="{escape(k)}" data-value="{v:g}">'
            f"<title>{escape(k)}: {_fmt(v)}</title></rect>"
        )
        if i % every == 0:
            out.append(
                f'<text x="{x + cw / 2:.1f}" y="{top + ph + 14}" text-anchor="middle">'
                f"{escape(k)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def heat(
    title: str,
    rows: list[str],
    cols: list[str],
    cells: dict[tuple[str, str], float],
    *,
    width: int = 640,
) -> str:
    """A grid of circles sized by value: entries (rows) over time (columns)."""
    left, top, rh = 110, 40, 22
    cw = (width - left - 10) / max(1, len(cols))
    height = top + rh * len(rows) + 8
    vmax = max(cells.values(), default=1) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="chart" {_FONT}><title>{escape(title)}</title><desc>{escape(title)}: '
        + "; ".join(f"{escape(r)} {escape(c)} {_fmt(v)}" for (r, c), v in sorted(cells.items()))
        + "</desc>"
    ]
    for j, c in enumerate(cols):
        out.append(
            f'<text x="{left + j * cw + cw / 2:.1f}" y="{top - 10}" text-anchor="middle">'
            f"{escape(c)}</text>"
        )
    for i, r in enumerate(rows):
        y = top + i * rh + rh / 2
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(r)}</text>')
        for j, c in enumerate(cols):
            v = cells.get((r, c), 0)
            if v:
                rad = 2 + 8 * (v / vmax) ** 0.5
                out.append(
                    f'<circle cx="{left + j * cw + cw / 2:.1f}" cy="{y:.1f}" r="{rad:.1f}"'
                    f' fill="{PALETTE[1]}" data-label="{escape(r)} {escape(c)}" data-value="{v:g}">'
                    f"<title>{escape(r)}, {escape(c)}: {_fmt(v)}</title></circle>"
                )
    out.append("</svg>")
    return "".join(out)
