from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Consent
from polku.core import limits
from polku.network.models import NEEDS_REASON, Urgency
from polku.screening.models import SupportNeed


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consent) -> str:
        since = date_format(obj.valid_from, "SHORT_DATE_FORMAT")
        return f"{obj.recipient.display_name}: {', '.join(obj.register_labels())} ({since}–)"


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportNeed) -> str:
        return f"{obj.get_kind_display()} ({obj.get_priority_display()})"


class ReferralForm(forms.Form):
    reason = limits.BoundedCharField(
        label=_("Reason for the referral"),
        min_length=5,
        max_length=limits.REFERRAL,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    need = NeedChoiceField(
        label=_("Support need it answers"),
        queryset=SupportNeed.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    shared_information = limits.BoundedCharField(
        label=_("What the client agreed to share with the provider"),
        required=False,
        max_length=limits.REFERRAL,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what the client agreed to; the receiving unit sees this and the client's name."),
    )
    consent = ConsentChoiceField(
        label=_("The client's consent"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("No information shared"),
    )
    source = limits.BoundedCharField(
        label=_("Came from (for example an action of the service plan)"),
        required=False,
        max_length=limits.NAME,
    )

    def __init__(self, *args: Any, consents: list[Consent], needs: list[SupportNeed], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = Consent.objects.filter(pk__in=[c.pk for c in consents]).select_related("recipient")
        self.fields["consent"].queryset = chosen  # type: ignore[attr-defined]
        self.fields["need"].queryset = SupportNeed.objects.filter(pk__in=[n.pk for n in needs])  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    reason = limits.BoundedCharField(
        label=_("Reason"), required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, to: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if to in NEEDS_REASON:
            self.fields["reason"].required = True
        else:
            self.fields["reason"].label = _("Note (optional)")
