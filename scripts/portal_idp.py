"""The test identity provider of `make run`: oidc-provider-mock on loopback, offering the demo clients who
can log in to their own Polku (portal/demo.py). Never for production: it identifies whoever is chosen.

    POLKU_DEBUG=1 .venv/bin/python scripts/portal_idp.py [--port 9400]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings")
warnings.simplefilter("ignore", DeprecationWarning)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9400)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    if not settings.DEBUG:
        sys.exit("The test identity provider runs only with POLKU_DEBUG=1.")
    import oidc_provider_mock
    import werkzeug.serving

    from polku.portal.demo import provider_users

    users = [oidc_provider_mock.User(sub=user.pop("sub"), claims=user) for user in provider_users()]
    app = oidc_provider_mock.app(require_nonce=True, user_claims=users)
    print(
        f"Test identity provider at http://127.0.0.1:{args.port} with {len(users)} demo clients.", flush=True
    )
    werkzeug.serving.run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
