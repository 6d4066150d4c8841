import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell(hide_code=True)
def _():
    import marimo as _mo

    _mo.md(
        """
        # A live analysis

        The cells below are written and run by a program pairing with this notebook
        through **marimo-pair**, while you watch.
        """
    )
    return


if __name__ == "__main__":
    app.run()
