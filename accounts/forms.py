from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: đăng nhập sai nhiều lần liên tiếp "
            "sẽ tạm khóa tài khoản."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Liên hệ quản trị hệ thống."),
    }
