"""The catalogue as Open Referral HSDS 3.0 (the compiled form: each service with its organization,
service_at_locations, contacts, phones and taxonomy attributes nested), validated against the schemas in
network/data/hsds-3.0/ (CC BY-SA 4.0, see its LICENSE): `schema.py` (the schemas, validation, derived
ids), `export.py` (the catalogue as a document) and `importing.py` (a document read, checked whole and
written in one transaction). Callers use the package.

Polku's own facts travel as HSDS attributes: the category (taxonomy `polku-service-kinds`), the support
needs a service answers (`polku-support-needs`) and the Swedish and English names and descriptions
(`polku-translations`, the text in the attribute's `value`). The municipality of a location is the
address's `state_province` (Finnish municipality names are unique). Ids are the records' public ids,
and the ids of derived items (languages, attributes) are uuid5 of their parent and code, so the same
catalogue always exports the same document.
"""

from polku.network.hsds.export import export_services, service_document
from polku.network.hsds.importing import (
    MAX_DEPTH,
    DocumentError,
    ImportResult,
    check_size,
    import_document,
    max_bytes,
    read_document,
)
from polku.network.hsds.schema import SCHEMAS, TRANSLATED, schema_errors, validator

__all__ = [
    "MAX_DEPTH",
    "SCHEMAS",
    "TRANSLATED",
    "DocumentError",
    "ImportResult",
    "check_size",
    "export_services",
    "import_document",
    "max_bytes",
    "read_document",
    "schema_errors",
    "service_document",
    "validator",
]
