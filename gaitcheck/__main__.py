"""`python -m gaitcheck` runs the command line."""
from gaitcheck.cli import main

main()
