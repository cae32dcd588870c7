"""``python -m kwextract``: the same as the ``kwextract`` command."""

from kwextract.cli.main import main

if __name__ == "__main__":
    main()
