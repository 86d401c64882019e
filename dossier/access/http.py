"""HTTP-level protection shared by every response of the web workspace.

Framework-free: the web app's middleware copies these headers onto each response and
sets cookies with these attributes.
"""

from __future__ import annotations

SESSION_COOKIE = "dossier_session"
PRESESSION_COOKIE = "dossier_pre"     # binds the login form's CSRF token before a session exists
CSRF_FIELD = "csrf_token"             # form field
CSRF_HEADER = "X-CSRF-Token"          # header, for fetch()/htmx requests
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script anywhere ('self' only); styles may sit in attributes (server-rendered
# SVG charts use them). PDFs and images preview in same-origin frames/objects only, and
# no other site may frame the workspace.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "object-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'self'",
])


def security_headers(https: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def cookie_options(https: bool, max_age: int | None = None) -> dict:
    """Keyword arguments for Starlette's ``Response.set_cookie``."""
    return {"httponly": True, "samesite": "lax", "secure": https, "path": "/", "max_age": max_age}
