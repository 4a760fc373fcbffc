"""Django's admin, open only to users with the administrator role."""

from django.contrib import admin

from accord.platform import policy
from accord.platform.models import ApiToken, AuditEntry, Framework, Membership, Party, Profile


class AccordAdminSite(admin.AdminSite):
    site_header = "Accord administration"

    def has_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff and policy.is_platform_administrator(request.user))


admin_site = AccordAdminSite(name="admin")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Party, site=admin_site)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name")


@admin.register(Framework, site=admin_site)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind")


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("party", "framework", "start", "end")
    list_filter = ("framework",)


@admin.register(Profile, site=admin_site)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "party", "roles")


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "at", "actor", "action", "record_type", "record_id")
    list_filter = ("action", "record_type")
