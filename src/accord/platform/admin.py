"""Django's admin, open only to administrators.

Two kinds of administrator:

- a platform administrator (a Django superuser) manages every party's users;
- a party administrator (the ``administrator`` role, not a superuser) manages
  the users of their own party only: they see, add and change those users
  and their roles, and never a user of another party, nor superuser status.

Django's own permission tables are not used: the role decides (``policy``),
so an administrator needs no per-model permission rows to see anything.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accord.platform import policy
from accord.platform.models import ROLES, ApiToken, AuditEntry, Framework, Membership, Party, Profile


def _is_administrator(request) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or policy.is_platform_administrator(user)))


def _own_party(request):
    """The party whose users this administrator manages; ``None`` for a superuser (every party)."""
    return None if request.user.is_superuser else policy.party_of(request.user)


class AccordAdminSite(admin.AdminSite):
    site_header = "Accord administration"
    site_title = "Accord administration"
    index_title = "Users, roles and parties"

    def has_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff and _is_administrator(request))


admin_site = AccordAdminSite(name="admin")


class AdministratorAdmin(admin.ModelAdmin):
    """Administrators may view and manage; the role decides, not Django's permission rows."""

    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request)


class ReadOnlyAdmin(AdministratorAdmin):
    """Reference data loaded from the published sources (``accord setup``): shown, not edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserEditsAdmin(ReadOnlyAdmin):
    """Everyone who administers sees it; only a platform administrator changes it."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Party, site=admin_site)
class PartyAdmin(SuperuserEditsAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Framework, site=admin_site)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind")


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("party", "framework", "start", "end")
    list_filter = ("framework",)


class ProfileForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=[(r, r.capitalize()) for r in ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text="A viewer reads; an editor records; an approver decides; an administrator manages users.",
    )

    class Meta:
        model = Profile
        fields = ("party", "roles")


def _limit_party_field(form_field, request):
    party = _own_party(request)
    if party is not None:
        form_field.queryset = Party.objects.filter(pk=party.pk)
        form_field.initial = party.pk
        form_field.empty_label = None
    return form_field


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileForm
    can_delete = False
    min_num = 1
    max_num = 1
    verbose_name = "party and roles"
    verbose_name_plural = "party and roles"

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    has_add_permission = has_change_permission = has_delete_permission = lambda self, request, obj=None: (
        _is_administrator(request)
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit_party_field(field, request) if db_field.name == "party" else field


User = get_user_model()


class AccordUserAdmin(AdministratorAdmin, UserAdmin):
    """Users with their party and roles; a party administrator sees only their own party's users."""

    inlines = (ProfileInline,)
    list_display = ("username", "party", "roles", "is_active", "last_login")
    list_filter = ("is_active", "accord_profile__party")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Name and email", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff")}),
    )
    superuser_fieldsets = (
        *fieldsets[:2],
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.fieldsets

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("accord_profile__party")
        party = _own_party(request)
        if party is None:
            return queryset
        # A party administrator never manages a platform administrator, even one of their party.
        return queryset.filter(accord_profile__party=party, is_superuser=False)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ("is_active",)

    @admin.display(description="Party", ordering="accord_profile__party__code")
    def party(self, user):
        profile = getattr(user, "accord_profile", None)
        return profile.party.name if profile else "No party"

    @admin.display(description="Roles")
    def roles(self, user):
        profile = getattr(user, "accord_profile", None)
        return ", ".join(profile.roles) if profile and profile.roles else "None"


admin_site.register(User, AccordUserAdmin)


@admin.register(Profile, site=admin_site)
class ProfileAdmin(AdministratorAdmin):
    form = ProfileForm
    list_display = ("user", "party", "role_list")
    list_filter = ("party",)
    search_fields = ("user__username",)

    @admin.display(description="Roles")
    def role_list(self, profile):
        return ", ".join(profile.roles)

    def has_add_permission(self, request):
        return False  # a profile is added with its user

    def has_delete_permission(self, request, obj=None):
        return False  # a user without a party could do nothing: deactivate or delete the user instead

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user", "party")
        party = _own_party(request)
        return queryset if party is None else queryset.filter(party=party)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit_party_field(field, request) if db_field.name == "party" else field


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        party = _own_party(request)
        return queryset if party is None else queryset.filter(user__accord_profile__party=party)


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The raw entries; the audit trail page (/audit/) shows them in words and verifies the chain."""

    list_display = ("sequence", "at", "actor", "action", "record_type", "record_id")
    list_filter = ("action", "record_type")
    fields = ("sequence", "at", "actor", "actor_party", "action", "record_type", "record_id", "owner")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        party = _own_party(request)
        if party is None:
            return queryset
        return queryset.filter(owner=party.code) | queryset.filter(actor_party=party.code)
