import typer

app = typer.Typer(help="Noter.", no_args_is_help=True)


@app.command("count")
def count() -> None:
    """Antal noter."""
    typer.echo("0")
