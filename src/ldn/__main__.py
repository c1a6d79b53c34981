"""`python -m ldn` runs the `ldn` command."""

from ldn.cli import main

main()
