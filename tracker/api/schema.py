"""Every API operation documents the errors it may answer with, in one place."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi: thông báo bằng tiếng Việt; không có gì thay đổi.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    # Field errors of query parameters come as {"tên_tham_số": ["thông báo"]}.
    "additionalProperties": True,
}
ERRORS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ.",
    "401": "Chưa xác thực (thiếu hoặc sai token).",
    "403": "Không có quyền.",
    "404": "Không có, hoặc không được xem.",
    "429": "Gọi quá nhiều lần; thử lại sau.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the shared error replies on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
