"""`python -m poacal`."""

from poacal.cli import main

main()
