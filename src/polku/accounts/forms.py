from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, User


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.unit.organisation.display_name} – {obj.unit.display_name}: {obj.get_role_display()}"


class ChooseMembershipForm(forms.Form):
    membership = MembershipChoiceField(
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
        assert isinstance(field, MembershipChoiceField)
        field.queryset = user.active_memberships().select_related("unit__organisation")


class UserCreateForm(AdminUserCreationForm):
    """The administrator creates a user by email; a password can be set now or left unusable, in which
    case the user sets one through "Forgot your password?"."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "is_active")
