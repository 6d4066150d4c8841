# A year of daily temperatures for an imaginary city (seeded, so every run is the same).
_rng = random.Random(2718)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
temperatures = [
    round(11.5 + 9.5 * math.sin((day - 105) / 365 * 2 * math.pi) + _rng.gauss(0, 2.4), 1)
    for day in range(365)
]
_starts = [sum(_lengths[:i]) for i in range(12)]
monthly = {
    month: round(statistics.mean(temperatures[start : start + length]), 1)
    for month, start, length in zip(MONTHS, _starts, _lengths)
}
mo.ui.table([{"month": m, "mean °C": t} for m, t in monthly.items()], selection=None, label="Monthly means")
