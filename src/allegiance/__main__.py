"""`python -m allegiance`: the command line."""

from .cli.main import main

main()
