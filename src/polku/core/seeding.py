"""What every app's `demo.py` receives from `manage.py seed_demo`."""

from dataclasses import dataclass, field
from typing import Protocol

from faker import Faker

DEMO_PASSWORD = "polku-demo"
FAKER_SEED = 2026


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


@dataclass
class DemoContext:
    stdout: Writer
    faker: Faker = field(default_factory=lambda: _seeded_faker())
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def account(self, email: str, description: str) -> None:
        self.accounts.append((email, description))


def _seeded_faker() -> Faker:
    faker = Faker("fi_FI")
    faker.seed_instance(FAKER_SEED)
    return faker
