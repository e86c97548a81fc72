"""`python -m generator` = `oagen`."""

from .cli import main

main()
