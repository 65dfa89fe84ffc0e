"""`python -m allegiance`: the command line."""

from .cli import main

main()
