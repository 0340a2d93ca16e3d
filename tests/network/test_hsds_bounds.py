"""An HSDS file that is not a catalogue (not UTF-8, nested without end, too large) gets a clear error, and
no address that is not http(s) enters the catalogue or is rendered as a link (issue 21)."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from polku.network import hsds
from polku.network.admin import ServiceForm
from polku.network.models import Service
from tests.conftest import client_as
from tests.factories import make_service
from tests.network.test_hsds import catalogue, document  # noqa: F401 - the shared catalogue fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_file_that_is_not_utf8_is_refused_naming_its_line(db, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[\n{"name": "Työpaja"}\n]'.encode("latin-1"))
    with pytest.raises(CommandError, match=r"not UTF-8 \(the first byte that is not is on line 2\)"):
        call_command("import_hsds", str(path))


def test_deeply_nested_json_is_refused_without_a_recursion_error(db, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nested deeper than 32 levels"):
        call_command("import_hsds", str(path))


def test_json_nested_past_the_limit_but_within_pythons_is_refused_too():
    with pytest.raises(hsds.DocumentError, match="nested deeper"):
        hsds.read_document(b"[" * 40 + b"]" * 40)


def test_a_file_over_the_import_size_limit_is_refused_before_it_is_read(db, tmp_path, settings):
    settings.IMPORT_MAX_MB = 1
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2_000_001 + b"[]")
    with pytest.raises(CommandError, match=r"The file is 2 MB; the largest accepted is 1 MB\."):
        call_command("import_hsds", str(path))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.fi/"]
)
def test_an_imported_service_url_that_is_not_http_is_refused(catalogue, url):  # noqa: F811
    bad = copy.deepcopy(document())
    bad[0]["url"] = url
    result = hsds.import_document(bad)
    assert any("url" in line and "is not an http:// or https:// address" in line for line in result.errors)
    assert not Service.objects.filter(url=url).exists()


def test_an_imported_organisation_website_and_emails_are_checked(catalogue):  # noqa: F811
    bad = copy.deepcopy(document())
    bad[0]["organization"]["website"] = "javascript:alert(1)"
    bad[0]["email"] = "javascript:alert(1)@x"  # passes the schema's format check (it has an @)
    result = hsds.import_document(bad)
    assert any("organization website 'javascript:alert(1)'" in line for line in result.errors)
    assert any("email 'javascript:alert(1)@x' is not an email address" in line for line in result.errors)


def test_the_admin_form_refuses_a_javascript_address(db):
    form = ServiceForm(data={"url": "javascript:alert(1)"})
    form.is_valid()
    assert "url" in form.errors


def test_the_provider_admin_refuses_a_javascript_website(db, rf, administrator):
    from django.contrib import admin

    from polku.network.admin import ProviderAdmin
    from polku.network.models import Provider

    request = rf.get("/")
    request.user = administrator.user
    form_class = ProviderAdmin(Provider, admin.site).get_form(request)
    form = form_class(data={"name": "P", "description": "D", "website": "javascript:alert(1)"})
    assert not form.is_valid()
    assert "website" in form.errors


def test_a_stored_address_that_is_not_http_is_shown_as_text_not_as_a_link(worker):
    service = make_service(name="Vanha rivi")
    Service.objects.filter(pk=service.pk).update(url="javascript:alert(1)")
    page = client_as(worker).get(f"/services/{service.public_id}/", **EN).content.decode()
    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page


def test_an_http_address_is_a_link(worker):
    service = make_service(name="Uusi rivi", url="https://palvelu.example/")
    page = client_as(worker).get(f"/services/{service.public_id}/", **EN).content.decode()
    assert 'href="https://palvelu.example/"' in page


def test_a_valid_document_still_imports(catalogue):  # noqa: F811
    assert hsds.import_document(json.loads(json.dumps(document()))).ok
