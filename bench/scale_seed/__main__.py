"""`python -m bench.scale_seed --scale N`, from the repository's root, with the settings of the database
to fill (DATABASE_URL and the identity keys the server will use)."""

from __future__ import annotations

import argparse
import os


class Lines:
    """Each message on its own line, as a management command's stdout writes them."""

    def write(self, msg: str, /) -> object:
        return print(msg, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, required=True, help="synthetic clients there should be")
    args = parser.parse_args()
    if args.scale < 0:
        parser.error("--scale must be zero or more.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings")
    import django

    django.setup()
    from django.db import transaction

    from .seeder import MissingDemo, seed

    try:
        with transaction.atomic():
            seed(scale=args.scale, stdout=Lines())
    except MissingDemo as error:
        raise SystemExit(str(error)) from None


if __name__ == "__main__":
    main()
