"""Sign in as one role on the running app and save its session cookie for the scanners.

Usage: dast_login.py BASE_URL SEED_JSON ROLE OUT_DIR. Reads the account from the seed file,
posts the login form with its CSRF token, completes /mfa with a TOTP code when the app asks
for one, checks the session reaches /account, and writes OUT_DIR/cookies-ROLE.json (wapiti's
``-c`` format) and OUT_DIR/cookie-ROLE.txt (a Cookie header value for sqlmap). Standard
library only, plus pyotp once the app has MFA. The target is loopback with a throw-away
self-signed certificate, so the certificate is not verified.
"""

from __future__ import annotations

import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar


class FormParser(HTMLParser):
    """Each POST form's hidden inputs and the names of its visible text-like inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict[str, str], list[str]]] = []
        self.in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and values.get("method", "").lower() == "post":
            self.in_form = True
            self.forms.append(({}, []))
        elif tag == "input" and self.in_form and values.get("name"):
            hidden, visible = self.forms[-1]
            kind = values.get("type", "text").lower()
            if kind == "hidden":
                hidden[values["name"]] = values.get("value", "")
            elif kind in ("text", "number", "tel", "password", "email"):
                visible.append(values["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.jar = CookieJar()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # loopback only, throw-away self-signed certificate
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=context),
        )

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[str, str]:
        """GET (or POST ``data``), following redirects; returns (final path, body)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base_url + path
        # Flask-WTF checks the Referer of HTTPS posts, as a browser would send it
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        """Fill in and post the page's form that has these inputs (see ``filled_form``)."""
        _, page = self.open(path)
        data = filled_form(page, fields)
        if data is None:
            sys.exit(f"dast_login: no form with {sorted(fields)} and a CSRF token at {path}")
        return self.open(path, data)


def filled_form(page: str, fields: dict[str, str]) -> dict[str, str] | None:
    """The data to post for the page's first POST form that has all these inputs (``*``: its
    first visible input) and a CSRF token, keeping the form's hidden inputs; None if none has.
    The language switcher in the page header is a POST form too, so "the first" is not enough."""
    parser = FormParser()
    parser.feed(page)
    wanted = {k for k in fields if k != "*"}
    for hidden, visible in parser.forms:
        if visible and wanted <= set(visible) and "csrf_token" in hidden:
            named = {visible[0] if k == "*" else k: v for k, v in fields.items()}
            return {**hidden, **named}
    return None


def sign_in(browser: Browser, account: dict, role: str) -> None:
    where, _ = browser.submit(
        "/login", {"email": account["email"], "password": account["password"]}
    )
    if where.startswith("/login"):
        sys.exit(f"dast_login: the {role} login was refused (throttled, or the seed failed)")
    if where.startswith("/mfa"):
        if not account.get("totp_secret"):
            sys.exit(f"dast_login: /mfa asks the {role} for a code, but the seed set no secret")
        import pyotp

        code = pyotp.TOTP(account["totp_secret"]).now()
        where, _ = browser.submit(where, {"*": code})  # the form's one visible field
        if where.startswith("/mfa"):
            sys.exit(f"dast_login: the {role} TOTP code was refused")
    where, _ = browser.open("/account")
    if where != "/account":
        sys.exit(f"dast_login: the {role} session does not reach /account (went to {where})")


def save_cookies(jar: CookieJar, out_dir: str, role: str) -> None:
    """Both files hold a live session token: readable by the owner only."""
    wapiti: dict = {}
    for cookie in jar:
        wapiti.setdefault(cookie.domain, {}).setdefault(cookie.path, {})[cookie.name] = {
            "value": cookie.value,
            "expires": cookie.expires,
            "secure": cookie.secure,
            "port": None,
            "version": 0,
        }
    header = "; ".join(f"{c.name}={c.value}" for c in jar)
    for name, text in (
        (f"cookies-{role}.json", json.dumps(wapiti)),
        (f"cookie-{role}.txt", header),
    ):
        descriptor = os.open(
            os.path.join(out_dir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
        )
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)


def main(base_url: str, seed_path: str, role: str, out_dir: str) -> None:
    with open(seed_path, encoding="utf-8") as handle:
        account = json.load(handle)["accounts"][role]
    browser = Browser(base_url)
    try:
        sign_in(browser, account, role)
    except urllib.error.URLError as error:
        sys.exit(f"dast_login: {role}: {error}")
    save_cookies(browser.jar, out_dir, role)
    print(f"dast_login: signed in as {role}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
