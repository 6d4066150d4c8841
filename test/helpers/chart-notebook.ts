/** A notebook of rendered outputs for the screenshot tests and the benchmark. */

/** Altair, a table, a slider, a scroll area, a quiet cell and a failing one; nothing runs until the test runs them. */
export const CHART_NOTEBOOK = `import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def imports():
    import marimo as mo
    import altair as alt
    import pandas as pd
    return alt, mo, pd


@app.cell
def bars(alt, pd):
    data = pd.DataFrame({"a": ["A", "B", "C", "D", "E"], "b": [28, 55, 43, 91, 81]})
    alt.Chart(data).mark_bar().encode(x="a", y="b").properties(width=360, height=220)
    return


@app.cell
def table(mo):
    mo.Html("<table><tr><th>fruit</th><th>count</th></tr><tr><td>apple</td><td>3</td></tr><tr><td>pear</td><td>5</td></tr></table>")
    return


@app.cell
def slider(mo):
    level = mo.ui.slider(0, 10, value=3, label="level")
    level
    return (level,)


@app.cell
def scroller(mo):
    mo.Html("<div style='max-height:120px;overflow:auto'>" + "<br>".join(f"line {i}" for i in range(40)) + "</div>")
    return


@app.cell
def quiet():
    y = 2
    return (y,)


@app.cell
def broken():
    1 / 0
    return


if __name__ == "__main__":
    app.run()
`;
