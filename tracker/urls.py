from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = _("Đôn Đốc – Theo dõi nhiệm vụ")
admin.site.site_title = _("Đôn Đốc")
admin.site.index_title = _("Văn phòng theo dõi")

urlpatterns = [
    path("", include("tracker.portal_urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Everyone signs in on one page, whose failed attempts django-axes counts.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("tep/", include("tracker.files_urls")),
    path("api/v1/", include("tracker.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()


def not_found(request, exception=None):  # noqa: ANN001, ANN201 - Django's handler signature
    """The API answers in JSON even for addresses no route matches; pages keep Django's page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Không tìm thấy.", "code": "not_found"}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
