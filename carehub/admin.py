"""Administration of staff accounts, services and roles, for the ``admin`` role only.

An administrator manages the services they hold the admin role in: those services' details
and memberships, and the accounts of staff in them. Administration gives no access to
people's care records. Nothing here can be deleted except a membership (revoking a role);
every change is in the audit log. Creating services is for superusers (set up from the
command line with ``createsuperuser``).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse

from . import access, mfa
from .models import Membership, Service, User


class CareHubAdminSite(admin.AdminSite):
    site_header = "CareHub administration"
    site_title = "CareHub administration"
    index_title = "Staff, services and roles"
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active and (user.is_superuser or access.can(user, "service.administer"))
        )

    def admin_view(self, view, cacheable=False):
        """Signed-in staff without the admin role get a plain refusal on every admin page."""
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        """Everyone signs in through CareHub's own page (rate-limited). A signed-in user
        without the admin role is refused, rather than sent round to sign in again."""
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return redirect("admin:index")
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("login"))


admin_site = CareHubAdminSite(name="admin")


def administered_services(request):
    return access.services_for(request.user, "service.administer")


class ServiceScopedAdmin(admin.ModelAdmin):
    """Permissions from ``carehub.access`` rather than Django's per-model permissions."""

    def has_module_permission(self, request) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Service, site=admin_site)
class ServiceAdmin(ServiceScopedAdmin):
    list_display = ["name", "cqc_location_id"]
    search_fields = ["name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=administered_services(request))

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ServiceScopedAdmin):
    list_display = ["user", "service", "role", "created_at"]
    list_filter = ["role", "service"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user", "service")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(service__in=administered_services(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service" and not request.user.is_superuser:
            kwargs["queryset"] = administered_services(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)


@admin.register(User, site=admin_site)
class StaffUserAdmin(ServiceScopedAdmin, UserAdmin):
    """Staff accounts. Superuser and Django permission flags are not editable here."""

    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Name and contact", {"fields": ["first_name", "last_name", "email"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_step"]

    @admin.action(description="Reset two-step sign-in (for a lost phone)")
    def reset_two_step(self, request, queryset):
        """The selected staff set up their authenticator app again at their next sign-in;
        each reset is in the audit trail."""
        for user in queryset:
            mfa.reset(user, by=request.user)
        self.message_user(
            request,
            f"Two-step sign-in reset for {queryset.count()} account(s). Each sets up an "
            "authenticator app again at their next sign-in.",
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            Q(memberships__service__in=administered_services(request)) | Q(memberships__isnull=True)
        ).distinct()
