"""The write token: every write (SPARQL updates, POST and DELETE /documents) needs
`Authorization: Bearer <KG_WRITE_TOKEN>`.

One rule for all writes, in this order:

1. no KG_WRITE_TOKEN configured: writes are disabled entirely -> 403, whatever the request says;
2. no bearer token in the request -> 401 with `WWW-Authenticate: Bearer`;
3. a bearer token that is not the write token -> 403.

The comparison is constant-time (`secrets.compare_digest` over the UTF-8 bytes), so the answer
time does not reveal how much of a guessed token was right.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kg.config import Settings
from kg.errors import UnauthorizedError, UpdateForbiddenError

#: Declares the `bearer` security scheme in OpenAPI; the check itself is `authorize_write`
#: (HTTPBearer's own errors are not problem+json, hence `auto_error=False`).
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="`Authorization: Bearer <KG_WRITE_TOKEN>`; without KG_WRITE_TOKEN on the server,"
    " every write is refused (403).",
)


def authorize_write(authorization: str | None, write_token: str | None, *, action: str) -> None:
    """Let a write through only with `Authorization: Bearer <write_token>`.

    Args:
        authorization: the request's Authorization header, if any.
        write_token: the server's KG_WRITE_TOKEN; None or empty disables writes.
        action: what is being refused, for the messages ("SPARQL updates").

    Raises:
        UpdateForbiddenError: no write token is configured, or the token given is wrong.
        UnauthorizedError: a token is configured but the request carries no bearer token.
    """
    if not write_token:
        raise UpdateForbiddenError(
            f"this server is read-only: {action} are refused unless it is started with"
            " KG_WRITE_TOKEN set"
        )
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise UnauthorizedError(
            f"{action} need `Authorization: Bearer <token>` (the server's KG_WRITE_TOKEN)"
        )
    if not secrets.compare_digest(given.strip().encode("utf-8"), write_token.encode("utf-8")):
        raise UpdateForbiddenError("the bearer token is not this server's write token")


def require_writer(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> None:
    """FastAPI dependency for the document write routes (see `authorize_write`)."""
    settings: Settings = request.app.state.settings
    token = settings.write_token.get_secret_value() if settings.write_token else None
    authorize_write(
        request.headers.get("authorization"), token, action="adding and removing documents"
    )


WriterDep = Annotated[None, Depends(require_writer)]
