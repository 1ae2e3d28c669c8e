# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fetching harvest sources safely.

A harvest source is an address typed in by a publisher's contact, so the
fetcher treats the other end as untrusted:

* **SSRF**: every address a host name resolves to is checked *when the
  connection is opened* (so a DNS answer cannot change between check and
  connect), and loopback, private, link-local, multicast, reserved and other
  non-global addresses (IPv4, IPv6, IPv4-mapped IPv6) are refused unless a
  sysadmin allowed the host or network in the CKAN config. Every redirect
  target goes through the same check; environment proxies are ignored (they
  would connect on our behalf, unchecked).
* **limits**: connect and read timeouts, a total deadline (a server that
  trickles one byte at a time cannot keep a worker busy), a size cap counted
  on the *decompressed* bytes while streaming (gzip bombs stop at the cap),
  a bounded number of redirects.
* **429** with Retry-After is retried a bounded number of times; other
  4xx/5xx raise ``FetchError`` with a message for the job report.
* ``file://`` only when the caller says so (sources created by sysadmins).
* **one reading of an address**: ``split_url`` is how the fetcher reads an
  address, and the harvest source guard reads it the same way. Python's
  ``urlsplit`` silently drops leading control characters and spaces and
  removes tab, CR and LF anywhere, so ``"\\x01file:///etc/passwd"`` would be
  ``file:`` to the fetcher but not to a check on the text: control
  characters and whitespace are refused outright instead (in source
  addresses and in redirect targets).
"""
from __future__ import annotations

import dataclasses
import email.utils
import ipaddress
import socket
import threading
import time
import unicodedata
import urllib.parse
import zlib
from pathlib import Path

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MB = 1024 * 1024
USER_AGENT = "SmartCityAtlas-Harvester/0.1 (+https://github.com/ckan/ckanext-harvest)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch failed; ``str(exc)`` is meant for the job report."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def unsafe_character(url: str) -> int | None:
    """The position (from 1) of the first control character or whitespace
    in ``url`` (C0/C1 controls, spaces and line breaks of any script,
    invisible format characters such as a BOM), or None. Parsers drop or
    keep them in different ways; an address needs none of them (a space in
    a path is written %20)."""
    for i, char in enumerate(url, 1):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            return i
    return None


def split_url(url: str) -> urllib.parse.SplitResult:
    """``url`` as the fetcher reads it (scheme in lower case), or FetchError
    for an address it refuses: one with a control character or whitespace
    (``unsafe_character``), or one ``urlsplit`` cannot read. The harvest
    source guard uses the same function, so it never judges another
    spelling than the one that is fetched."""
    if not isinstance(url, str):
        raise FetchError("the address is not a text")
    position = unsafe_character(url)
    if position is not None:
        raise FetchError(f"the address contains a control character or whitespace (character {position}); "
                         "refused")
    try:
        return urllib.parse.urlsplit(url)
    except ValueError as exc:  # e.g. "http://[::1" or a netloc that NFKC turns into another
        raise FetchError(f"the address cannot be read ({exc})") from None


@dataclasses.dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 300.0  # whole fetch, including retries and redirects
    max_bytes: int = 50 * MB
    max_redirects: int = 5
    max_retries: int = 2  # retries after 429
    max_retry_after: float = 60.0  # a longer Retry-After fails the fetch instead


@dataclasses.dataclass(frozen=True)
class NetworkPolicy:
    """Which non-public destinations a sysadmin allowed (CKAN config)."""

    allowed_hosts: frozenset[str] = frozenset()
    allowed_networks: tuple = ()

    @classmethod
    def from_config(cls) -> "NetworkPolicy":
        import ckan.plugins.toolkit as tk

        hosts = tk.aslist(tk.config.get("ckanext.smartcityatlas.harvest.allowed_hosts"))
        networks = tk.aslist(tk.config.get("ckanext.smartcityatlas.harvest.allowed_networks"))
        return cls.build(hosts, networks)

    @classmethod
    def build(cls, hosts=(), networks=()) -> "NetworkPolicy":
        return cls(frozenset(h.lower().strip("[]") for h in hosts),
                   tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def check(self, host: str, address: str) -> None:
        """Raise FetchError unless ``address`` (what ``host`` resolved to) may be contacted."""
        if host.lower().strip("[]") in self.allowed_hosts:
            return
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address):
            # the IPv4 address it stands for: a mapped one is that address, a
            # 6to4 one is tunnelled to it (Python calls 2002::/16 global)
            ip = ip.ipv4_mapped or ip.sixtofour or ip
        if any(ip in net for net in self.allowed_networks if net.version == ip.version):
            return
        if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified or \
                getattr(ip, "is_site_local", False):
            raise FetchError(
                f"{host} resolves to {address}, a non-public address; refused "
                "(a sysadmin can allow it with ckanext.smartcityatlas.harvest.allowed_hosts "
                "or allowed_networks)")


def _guarded(conn_cls, policy: NetworkPolicy, sockets: list):
    class Guarded(conn_cls):
        def _new_conn(self):
            host = self._dns_host
            try:
                infos = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)
            except socket.gaierror as exc:
                raise urllib3.exceptions.NameResolutionError(host, self, exc) from exc
            addresses = []
            for *_rest, sockaddr in infos:
                policy.check(host, sockaddr[0])  # every address, not just the first
                addresses.append(sockaddr[0])
            # connect to the address just checked, not to a fresh DNS answer
            self._dns_host = addresses[0]
            try:
                sock = super()._new_conn()
            finally:
                self._dns_host = host
            sockets.append(sock)  # for the deadline watchdog
            return sock

    return Guarded


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, policy: NetworkPolicy, sockets: list):
        self._policy = policy
        self._sockets = sockets
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        http_pool = type("GuardedHTTPPool", (HTTPConnectionPool,),
                         {"ConnectionCls": _guarded(HTTPConnection, self._policy, self._sockets)})
        https_pool = type("GuardedHTTPSPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": _guarded(HTTPSConnection, self._policy, self._sockets)})
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}


@dataclasses.dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str  # without parameters, lower case ("" if none)
    body: bytes
    redirects: list[str]

    def summary(self) -> str:
        """Where the answer came from and what it was, for a message about it:
        never its content (harvesters/parse_error.py)."""
        return f"{self.url} ({self.content_type or 'no content type'}, {len(self.body)} bytes)"


def fetch(url: str, limits: Limits = Limits(), policy: NetworkPolicy | None = None,
          allow_file: bool = False, accept: str = "*/*",
          sleep=time.sleep, method: str = "GET", peek: bool = False) -> Response:
    """GET (or HEAD) ``url`` within ``limits``; raises FetchError with a clear message.

    ``peek``: read only the first chunk of the body (a link check needs to
    know that data come, not to download a 2 GB file)."""
    policy = policy if policy is not None else NetworkPolicy.from_config()
    parts = split_url(url)
    if parts.scheme == "file":
        if not allow_file:
            raise FetchError(f"{url}: file:// addresses are read only for a harvest source whose own address is a "
                             "local file and that a sysadmin created")
        return _read_file(url, parts, limits)
    started = time.monotonic()
    session = requests.Session()
    session.trust_env = False  # no environment proxies: they would bypass the address check
    sockets: list = []
    adapter = _GuardedAdapter(policy, sockets)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Timeouts apply per socket read; a server trickling its headers byte by
    # byte would never hit them. The watchdog shuts the sockets down at the deadline.
    expired = threading.Event()
    watchdog = threading.Timer(limits.deadline, _expire, args=(sockets, expired))
    watchdog.daemon = True
    watchdog.start()
    redirects: list[str] = []
    retries = 0
    try:
        return _fetch_loop(session, url, limits, started, redirects, retries, accept, sleep, method, peek)
    except FetchError:
        if expired.is_set():
            raise FetchError(f"{url}: the answer took longer than {limits.deadline:g} s; stopped") from None
        raise
    finally:
        watchdog.cancel()
        session.close()


def _expire(sockets: list, expired: threading.Event) -> None:
    expired.set()
    for sock in list(sockets):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fetch_loop(session, url, limits, started, redirects, retries, accept, sleep, method="GET",
                peek=False) -> Response:
    while True:
        _check_scheme(url)
        remaining = limits.deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise FetchError(f"{url}: no complete answer within {limits.deadline:g} s")
        try:
            resp = session.request(
                method, url, stream=True, allow_redirects=False,
                timeout=(min(limits.connect_timeout, remaining), min(limits.read_timeout, remaining)),
                headers={"Accept": accept, "Accept-Encoding": "gzip, deflate",
                         "User-Agent": USER_AGENT})
        except FetchError:
            raise
        except requests.exceptions.ConnectTimeout as exc:
            raise FetchError(f"{url}: connection timed out after {limits.connect_timeout:g} s") from exc
        except requests.exceptions.ReadTimeout as exc:
            raise FetchError(f"{url}: no answer within {limits.read_timeout:g} s") from exc
        except requests.exceptions.RequestException as exc:
            inner = _find_fetch_error(exc)
            if inner is not None:
                raise inner from exc
            kind = "TLS" if isinstance(exc, requests.exceptions.SSLError) else \
                "cannot connect" if isinstance(exc, requests.exceptions.ConnectionError) else "request failed"
            raise FetchError(f"{url}: {kind}: {_reason(exc)}") from exc
        if resp.is_redirect:
            resp.close()
            if len(redirects) >= limits.max_redirects:
                raise FetchError(f"{url}: more than {limits.max_redirects} redirects")
            location = resp.headers.get("Location", "")
            if unsafe_character(location) is not None:  # urljoin would drop some of them
                raise FetchError(f"{url}: the redirect target contains a control character or whitespace; "
                                 "refused")
            target = urllib.parse.urljoin(url, location)
            redirects.append(target)
            url = target
            continue
        if resp.status_code == 429 and retries < limits.max_retries:
            wait = _retry_after(resp.headers.get("Retry-After"))
            resp.close()
            elapsed = time.monotonic() - started
            if wait is None or wait > limits.max_retry_after or elapsed + wait >= limits.deadline:
                raise FetchError(
                    f"{url}: HTTP 429 Too Many Requests (Retry-After "
                    f"{resp.headers.get('Retry-After') or 'missing'}; giving up)", status=429)
            retries += 1
            sleep(wait)
            continue
        if resp.status_code >= 400:
            reason = resp.reason or ""
            resp.close()
            raise FetchError(f"{url}: HTTP {resp.status_code} {reason}".rstrip(), status=resp.status_code)
        if method == "HEAD":
            resp.close()
            body = b""
        elif peek:
            body = _peek_body(resp, url, limits)
        else:
            body = _read_body(resp, url, limits, started)
        ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return Response(url=url, status=resp.status_code, content_type=ctype, body=body,
                        redirects=redirects)


def _check_scheme(url: str) -> None:
    parts = split_url(url)
    if parts.scheme not in ("http", "https"):
        # also redirects: http → file:// or gopher:// must not be followed
        raise FetchError(f"{url}: only http and https addresses can be harvested")
    if not parts.hostname:
        raise FetchError(f"{url}: no host name")


def _find_fetch_error(exc: BaseException) -> FetchError | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, FetchError):
            return exc
        for arg in getattr(exc, "args", ()):
            if isinstance(arg, BaseException):
                found = _find_fetch_error(arg)
                if found:
                    return found
        reason = getattr(exc, "reason", None)
        if isinstance(reason, BaseException):
            found = _find_fetch_error(reason)
            if found:
                return found
        exc = exc.__cause__ or exc.__context__
    return None


def _reason(exc: BaseException) -> str:
    """The innermost cause (requests wraps urllib3 wraps ssl/socket errors)."""
    seen, last = set(), exc
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        last = current
        reason = getattr(current, "reason", None)
        current = reason if isinstance(reason, BaseException) else (current.__cause__ or current.__context__)
    return _short(last)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "…"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _read_body(resp, url: str, limits: Limits, started: float) -> bytes:
    """Stream the body, decompressing gzip/deflate ourselves so that the cap
    counts decompressed bytes; stop at the cap or the deadline."""
    cap = limits.max_bytes
    length = resp.headers.get("Content-Length")
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    if length and length.isdigit() and int(length) > cap and encoding in ("", "identity"):
        resp.close()
        raise FetchError(f"{url}: {int(length) / MB:.1f} MB announced, more than the limit of {cap / MB:g} MB")
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        resp.close()
        raise FetchError(f"{url}: unsupported content encoding {encoding!r}")
    parts: list[bytes] = []
    size = 0
    raw = resp.raw
    try:
        while True:
            if time.monotonic() - started > limits.deadline:
                raise FetchError(f"{url}: the answer took longer than {limits.deadline:g} s; stopped")
            try:
                chunk = raw.read1(_CHUNK, decode_content=False)
            except (urllib3.exceptions.ReadTimeoutError, socket.timeout) as exc:
                raise FetchError(f"{url}: no data for {limits.read_timeout:g} s; stopped") from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise FetchError(f"{url}: {_short(exc)}") from exc
            if not chunk:
                break
            if decoder is not None:
                try:
                    chunk = decoder.decompress(chunk, cap + 1 - size)
                except zlib.error as exc:
                    raise FetchError(f"{url}: broken {encoding} data ({exc})") from exc
            size += len(chunk)
            if size > cap:
                raise FetchError(f"{url}: more than the limit of {cap / MB:g} MB; stopped")
            parts.append(chunk)
    finally:
        resp.close()
    return b"".join(parts)


def _peek_body(resp, url: str, limits: Limits) -> bytes:
    try:
        return resp.raw.read1(_CHUNK, decode_content=False)
    except (urllib3.exceptions.ReadTimeoutError, socket.timeout) as exc:
        raise FetchError(f"{url}: no data for {limits.read_timeout:g} s; stopped") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchError(f"{url}: {_short(exc)}") from exc
    finally:
        resp.close()


def _read_file(url: str, parts: urllib.parse.SplitResult, limits: Limits) -> Response:
    path = Path(urllib.parse.unquote(parts.path))
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise FetchError(f"{url}: {size / MB:.1f} MB, more than the limit of {limits.max_bytes / MB:g} MB")
        body = path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{url}: {exc.strerror or exc}") from exc
    return Response(url=url, status=200, content_type="", body=body, redirects=[])
