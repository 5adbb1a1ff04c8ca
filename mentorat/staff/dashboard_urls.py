"""The coordinator dashboard and exports (mounted in the admin site by mentorat/admin_site.py)."""

urlpatterns: list = []
