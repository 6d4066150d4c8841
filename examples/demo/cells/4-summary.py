_warmest = max(monthly, key=monthly.get)
_coldest = min(monthly, key=monthly.get)
_warm_days = sum(1 for t in temperatures if t >= 20)
mo.md(
    f"""
    ## Summary

    - Mean temperature over the year: **{statistics.mean(temperatures):.1f} °C**
    - Warmest month: **{_warmest}** ({monthly[_warmest]} °C); coldest: **{_coldest}** ({monthly[_coldest]} °C)
    - Days at or above 20 °C: **{_warm_days}**
    """
)
