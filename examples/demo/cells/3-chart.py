# A bar chart drawn as SVG: no plotting library needed.
_width, _height, _pad = 640, 260, 30
_low, _high = min(monthly.values()) - 2, max(monthly.values()) + 2
_bar = (_width - 2 * _pad) / len(monthly)
def _y(value):
    return _height - _pad - (value - _low) / (_high - _low) * (_height - 2 * _pad)
_bars = "".join(
    f'<rect x="{_pad + i * _bar + 4:.1f}" y="{_y(t):.1f}" width="{_bar - 8:.1f}" '
    f'height="{_height - _pad - _y(t):.1f}" fill="{"#e4572e" if t >= 15 else "#2e86ab"}"/>'
    f'<text x="{_pad + (i + 0.5) * _bar:.1f}" y="{_height - 10}" font-size="11" text-anchor="middle">{m}</text>'
    f'<text x="{_pad + (i + 0.5) * _bar:.1f}" y="{_y(t) - 4:.1f}" font-size="10" text-anchor="middle">{t}</text>'
    for i, (m, t) in enumerate(monthly.items())
)
chart = mo.Html(
    f'<svg xmlns="http://www.w3.org/2000/svg" width="{_width}" height="{_height}" role="img" '
    f'aria-label="Monthly mean temperature">{_bars}</svg>'
)
chart
