"""What every app's `demo.py` receives from `manage.py seed_demo`."""

from dataclasses import dataclass, field
from typing import TextIO

from faker import Faker

DEMO_PASSWORD = "polku-demo"  # noqa: S105 - printed on screen by `make run`, for demo data only
FAKER_SEED = 2026


@dataclass
class DemoContext:
    stdout: TextIO
    scale: int = 0
    faker: Faker = field(default_factory=lambda: _seeded_faker())
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def account(self, email: str, description: str) -> None:
        self.accounts.append((email, description))


def _seeded_faker() -> Faker:
    faker = Faker("fi_FI")
    faker.seed_instance(FAKER_SEED)
    return faker
