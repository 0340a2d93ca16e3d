from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, User


class ChooseMembershipForm(forms.Form):
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        label=_("Organisation and role"),
        empty_label=None,
        error_messages={
            "required": _("Choose the organisation and role you are working in."),
            "invalid_choice": _("That role is not available to you. Choose one of the listed roles."),
        },
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = user.active_memberships().select_related("unit__organisation")
        field.label_from_instance = lambda m: f"{m.unit.organisation.name} – {m.unit.name}: {m.get_role_display()}"


class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("email", "first_name", "last_name", "is_active")
