"""The virtual users of the load test: each signs in as a browser does and runs its role's mix.

Every step is written to the shared log as ``Entry``: the action, ``ok``, ``refused`` (the
application said no, as it should: a place already full, a placement someone else changed)
or ``error`` (a 5xx, a status the step does not expect, or an exception), its time and how
many HTTP requests it took (redirects followed count too). Writes carry what the checks look
for afterwards: a unique token in the interest message and the check-in, or the placement id.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from random import Random
from urllib.parse import urlsplit

import pyotp
import requests

TIMEOUT = (10, 60)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
ALERT = re.compile(r"utrecht-alert--(ok|error)")
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
#: the code field of the second login step, by its name
CODE_FIELD = re.compile(r'name="([^"]*(?:code|otp)[^"]*)"')

SIGN_IN = ("/login", "/mfa")
#: each role's steps and how often it takes them (weights)
MIX = {
    "visitor": {"browse": 3, "detail": 4, "search": 4},
    "newcomer": {"match": 3, "search": 2, "detail": 2, "browse": 1, "interest": 2},
    "consultant": {"approve": 3, "check_in": 3, "search": 1, "browse": 1},
}


@dataclass
class Entry:
    action: str
    outcome: str  # ok, refused, error
    seconds: float
    requests: int
    role: str
    status: int | None = None
    detail: str = ""
    write: dict = field(default_factory=dict)


class Failed(Exception):
    """A step ended in a way the mix does not expect."""


class VirtualUser:
    def __init__(self, server, role: str, account: dict | None, plan: dict, seed: int):
        self.base, self.role, self.account, self.plan = server.url, role, account or {}, plan
        self.rng = Random(seed)
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would replace the run's certificate
        self.http.verify = str(server.cert)  # the run's own self-signed certificate
        self.csrf, self.page = "", self.base + "/"
        self.tried: set[int] = set()
        # Oldest first, as every consultant does: they meet at the same places at once.
        self.to_approve = sorted(self.account.get("to_approve", []), reverse=True)

    # ---- plumbing ---------------------------------------------------------------------------

    def _get(self, path: str, expect: int = 200, **params) -> requests.Response:
        response = self.http.get(self.base + path, params=params or None, timeout=TIMEOUT)
        return self._check(response, expect)

    def _post(self, path: str, data: dict, expect: int | tuple = 200) -> requests.Response:
        data = {"csrf_token": self.csrf, **data}
        headers = {"Referer": self.page}  # as a browser sends it; HTTPS CSRF checks need it
        response = self.http.post(self.base + path, data=data, headers=headers, timeout=TIMEOUT)
        return self._check(response, expect)

    def _check(self, response: requests.Response, expect: int | tuple) -> requests.Response:
        self.count += len(response.history) + 1
        self.status = response.status_code
        if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
            raise Failed(f"{response.request.method} {urlsplit(response.url).path}: "
                         f"{response.status_code}, expected {expect}")  # fmt: skip
        asked = urlsplit((response.history[0] if response.history else response).url).path
        landed = urlsplit(response.url).path
        if landed in SIGN_IN and asked not in SIGN_IN:
            raise Failed(f"{asked}: sent to {landed}, the session was lost")
        self.page = response.url
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1) or found.group(2)
        return response

    def _step(self, action: str, run, log: list[Entry]) -> None:
        self.count, self.status = 0, None
        started = time.perf_counter()
        outcome, detail, write = "ok", "", {}
        try:
            result = run()
            if isinstance(result, tuple):
                outcome, write = result
        except Failed as error:
            outcome, detail = "error", str(error)
        except requests.RequestException as error:
            outcome, detail = "error", f"{type(error).__name__}: {str(error)[:160]}"
            self.status = None  # no answer to this request
        except Exception as error:  # a fault of this client counts too: a run must not hide it
            outcome, detail = "error", f"client: {type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        log.append(
            Entry(action, outcome, elapsed, self.count, self.role, self.status, detail, write)
        )

    # ---- signing in -------------------------------------------------------------------------

    def login(self, log: list[Entry]) -> None:
        if self.role != "visitor":
            self._step("login", self._login, log)

    def _login(self):
        self._get("/login")
        response = self._post(
            "/login", {"email": self.account["email"], "password": self.plan["password"]}
        )
        if urlsplit(response.url).path.startswith("/mfa"):
            response = self._second_step(response)
        if urlsplit(response.url).path in ("/login", "/mfa") or not self.http.cookies:
            raise Failed(f"still at {urlsplit(response.url).path} after signing in")

    def _second_step(self, page: requests.Response) -> requests.Response:
        """Fill in the authenticator's current code on the second-step page (R14)."""
        secret = self.account.get("totp_secret")
        if not secret:
            raise Failed("asked for a second step, but the account has no authenticator")
        fields = [CODE_FIELD.search(tag) for tag in INPUT.findall(page.text)]
        names = [found.group(1) for found in fields if found]
        if not names:
            raise Failed("no field for the code on the second-step page")
        address = urlsplit(page.url)
        path = address.path + (f"?{address.query}" if address.query else "")
        return self._post(path, {names[0]: pyotp.TOTP(secret).now()})

    # ---- the mix ----------------------------------------------------------------------------

    def run(self, deadline: float, log: list[Entry]) -> None:
        steps = MIX[self.role]
        names, weights = list(steps), list(steps.values())
        while time.monotonic() < deadline:
            action = self.rng.choices(names, weights)[0]
            if action == "approve" and not self.to_approve:
                action = "check_in"  # every candidate of this consultant has been decided
            if action == "check_in" and not self.account.get("active"):
                action = "search"
            if action == "interest" and len(self.tried) == len(self.plan["quiet_places"]):
                action = "detail"
            self._step(action, getattr(self, action), log)

    def browse(self):
        self._get("/places", page=str(self.rng.randint(1, 3)))

    def detail(self):
        self._get(f"/places/{self.rng.choice(self.plan['quiet_places'])}")

    def search(self):
        self._get("/places", q=self.rng.choice(self.plan["words"]))

    def match(self):
        self._get("/me/places")

    def interest(self):
        choices = [p for p in self.plan["quiet_places"] if p not in self.tried]
        place = self.rng.choice(choices)
        self.tried.add(place)
        self._get(f"/me/places/{place}")
        token = f"load-{secrets.token_hex(6)}"
        response = self._post(f"/me/places/{place}/interest", {"message": f"Graag! {token}"})
        if urlsplit(response.url).path != "/me" or not response.history:
            raise Failed(f"interest in place {place} did not lead to the start page")
        return "ok", {"interest": token, "place": place}

    def approve(self):
        placement = self.to_approve.pop()
        response = self._post(
            f"/caseload/placements/{placement}/approve", {"on": "", "reason": ""}, (200, 409)
        )
        if response.status_code == 409:  # the last spot went to another consultant just now
            return "refused", {"refused": placement}
        said = set(ALERT.findall(response.text))
        if said == {"ok"}:
            return "ok", {"approved": placement}
        if said == {"error"}:  # someone else changed the placement
            return "refused", {"refused": placement}
        raise Failed(f"approval of placement {placement}: no clear message ({sorted(said)})")

    def check_in(self):
        placement = self.rng.choice(self.account["active"])
        self._get(f"/caseload/placements/{placement}/check-in")
        token = f"load-{secrets.token_hex(6)}"
        response = self._post(
            f"/caseload/placements/{placement}/check-in",
            {"held_on": self.plan["today"], "ladder_rung": str(self.rng.randint(2, 5)),
             "attendance": self.rng.choice(["good", "good", "sometimes_absent"]),
             "hours_worked": str(self.rng.randint(0, 16)), "next_steps": f"Verder. {token}",
             "rung_reason": "", "skills_gained": "", "dutch_progress": "",
             "newcomer_words": "", "next_check_in_on": ""},
        )  # fmt: skip
        if not response.history or set(ALERT.findall(response.text)) != {"ok"}:
            raise Failed(f"check-in on placement {placement} was not confirmed")
        return "ok", {"check_in": token, "placement": placement}


def run_users(server, plan: dict, roles: dict[str, int], seconds: float, seed: int):
    """Sign every virtual user in, then run the mix for ``seconds``.

    Returns the sign-ins' log, the mix's log, its wall time and the workers' CPU time in it.
    """
    users = [
        VirtualUser(server, "consultant", plan["consultants"][n], plan, seed + n)
        for n in range(roles["consultant"])
    ]
    users += [
        VirtualUser(server, "newcomer", plan["newcomers"][n], plan, seed + 100 + n)
        for n in range(roles["newcomer"])
    ]
    users += [
        VirtualUser(server, "visitor", None, plan, seed + 200 + n) for n in range(roles["visitor"])
    ]
    logins: list[Entry] = []
    _all_at_once(users, lambda user: user.login(logins))  # before the clock: not in the mix
    log: list[Entry] = []
    cpu, started = server.worker_cpu_seconds(), time.monotonic()
    _all_at_once(users, lambda user: user.run(started + seconds, log))
    return logins, log, time.monotonic() - started, server.worker_cpu_seconds() - cpu


def _all_at_once(users: list[VirtualUser], work) -> None:
    threads = [threading.Thread(target=work, args=(user,), daemon=True) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
