#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings")
    # A developer's checkout with nothing configured runs commands in development mode, like `make run`.
    # A deployment always sets its secret key, so it never falls into this; and the web server entry
    # point (polku.wsgi) never defaults to debug at all.
    if "POLKU_DEBUG" not in os.environ and "POLKU_SECRET_KEY" not in os.environ:
        os.environ["POLKU_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
