"""Admin pages of a référent (mounted in the admin site by mentorat/admin_site.py)."""

urlpatterns: list = []
