"""OpenAI-shaped errors: ``{"error": {"message", "type", "param", "code"}}``."""

from django.utils.translation import gettext_lazy as _


class GatewayError(Exception):
    # What the gateway records of a refused request, if anything (``region_blocked``).
    refused = None

    def __init__(self, status, code, message, *, type_=None, param=None, headers=None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = str(message)
        self.type = type_ or code
        self.param = param
        self.headers = headers or {}

    def body(self):
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


def invalid_api_key():
    return GatewayError(
        401,
        "invalid_api_key",
        _("API 金鑰無效、已撤銷或已到期。"),
        type_="invalid_request_error",
    )


def missing_api_key():
    """401 for a request without ``Authorization: Bearer <key>`` (no header, another scheme,
    the key alone): said so, rather than that its key is invalid."""
    return GatewayError(
        401,
        "invalid_api_key",
        _("未收到 API 金鑰：請以標頭 Authorization: Bearer <API 金鑰> 傳送。"),
        type_="invalid_request_error",
    )


def foreign_api_key():
    """401 for a bearer secret that is not one of the platform's (``sk-aipower-…``): another
    service's key, such as an ``OPENAI_API_KEY`` left in the environment."""
    return GatewayError(
        401,
        "invalid_api_key",
        _("這不是本平台的 API 金鑰：本平台的金鑰以 sk-aipower- 開頭。"),
        type_="invalid_request_error",
    )


def region_blocked(refused=None):
    """403 for a client in mainland China, Hong Kong or Macau. ``refused``: what the gateway
    records of it (``core.Refused``: the key, its award, the country and the address)."""
    error = GatewayError(
        403,
        "unsupported_country_region_territory",
        _("不支援來自中國大陸、香港或澳門之連線。"),
        type_="request_forbidden",
    )
    error.refused = refused
    return error


def service_suspended():
    return GatewayError(403, "service_suspended", _("本服務已暫停。"), type_="request_forbidden")


def model_not_found(model):
    return GatewayError(
        404,
        "model_not_found",
        _("模型「%(model)s」不存在或此金鑰無權使用。") % {"model": model},
        type_="invalid_request_error",
        param="model",
    )


def insufficient_quota(message=None):
    return GatewayError(
        429,
        "insufficient_quota",
        message or _("點數已用罄，或不在使用期間內（尚未開始或已結束）。"),
        type_="insufficient_quota",
    )


def too_little_left():
    """429 insufficient_quota for a request the points left cannot cover (some are left): its
    prompt's bound and one token per answer."""
    return insufficient_quota(
        _("剩餘點數不足以處理此請求（輸入加上每個回答至少 1 個 Token）：請縮短輸入或減少 n。")
    )


def rate_limited(retry_after, headers=None):
    """429 rate_limit_exceeded; ``headers``: the key's ``x-ratelimit-*`` headers."""
    return GatewayError(
        429,
        "rate_limit_exceeded",
        _("請求過於頻繁，請稍後再試。"),
        type_="requests",
        headers={"Retry-After": str(retry_after), **(headers or {})},
    )


def bad_request(message, param=None):
    return GatewayError(400, "invalid_request", message, type_="invalid_request_error", param=param)


def server_error():
    return GatewayError(
        500,
        "server_error",
        _("伺服器發生錯誤，請稍後再試；洽詢時請提供回應標頭 x-request-id。"),
        type_="server_error",
    )


def upstream_failed(timeout=False):
    if timeout:
        return GatewayError(
            504, "upstream_timeout", _("模型伺服器逾時未回應，未計點數。"), type_="upstream_error"
        )
    return GatewayError(
        502, "upstream_error", _("模型伺服器發生錯誤，未計點數。"), type_="upstream_error"
    )
