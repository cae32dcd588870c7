"""kwextract's command line (installed as ``kwextract.cli``): thin Typer commands."""
