"""Who the client is when a reverse proxy stands in front: X-Forwarded-For and
X-Forwarded-Proto, believed only from the proxies the operator names
(TVAERS_TRUSTED_PROXIES, none by default).

Anyone can send these headers. Believed from any client — uvicorn by default believes them
from 127.0.0.1, where every local user and every process on the server may connect — they
would let a client choose the address the login rate limit counts against and so rotate
past it, and claim https. The application applies them itself (``tvaers serve`` switches
uvicorn's own handling off), so the rule holds under any ASGI server. The parsing of the
header chain is uvicorn's ProxyHeadersMiddleware: the client is the rightmost address in
the chain that is not a trusted proxy.
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tvaers.i18n import tr


def parse_proxies(text: str) -> tuple[str, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` as normalised networks; a clear error for anything else
    (uvicorn would silently take a host name or a typo as a literal that never matches)."""
    out: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(
                tr(
                    f"TVAERS_TRUSTED_PROXIES: {item!r} er ikke en IP-adresse eller et netværk "
                    "(fx 127.0.0.1 eller 10.0.0.0/8)",
                    f"TVAERS_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                    "(e.g. 127.0.0.1 or 10.0.0.0/8)",
                )
            ) from None
    return tuple(out)


def trusted_proxy_headers(app: ASGIApp, proxies: tuple[str, ...]) -> ASGIApp:
    """``app`` believing the forwarding headers from ``proxies`` only (and, with none
    configured, from nobody)."""
    if not proxies:
        return app
    return ProxyHeadersMiddleware(app, trusted_hosts=list(proxies))  # type: ignore[arg-type]
