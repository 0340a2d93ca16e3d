"""The form that makes a recommendation of the assessment an action of the service plan: the action's
fields, the recommendation's text ready in "what is done", and the goal it goes under."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.plans.forms.plan import ActionForm
from polku.plans.models.plan import Goal

__all__ = ["RecommendationActionForm"]


class RecommendationActionForm(ActionForm):
    goal = forms.ChoiceField(
        label=_("Under which goal"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the goal the action serves."),
            "invalid_choice": _("Choose a goal of the plan."),
        },
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(str(goal.key), goal.text) for goal in goals]  # type: ignore[attr-defined]
        if len(goals) == 1:
            self.fields["goal"].initial = str(goals[0].key)
        # The goal first, then the action as on the plan's own form.
        self.order_fields(["goal", *(name for name in self.fields if name != "goal")])
