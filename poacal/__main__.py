"""`python -m poacal`."""

from poacal import main

main()
