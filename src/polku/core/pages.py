"""Rendering a page that holds a form, the one way every app does it."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_form(request: HttpRequest, template_name: str, context: Mapping[str, Any]) -> HttpResponse:
    """A form page: 200 when it is first shown, 400 when it comes back from a POST, which only happens
    when the form (or the service behind it) refused the input. The status tells tests, htmx and
    assistive tools that nothing was saved; the page shows the errors beside the fields."""
    status = 400 if request.method == "POST" else 200
    return render(request, template_name, dict(context), status=status)
