"""A new consultant sets up the second login step in a real browser, on a phone: the QR code
shows under the CSP, the key can be typed, the recovery codes are shown once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import expect

from tests.browser.test_pages_accessible import PHONE, log_out, nl, page_problems, visit


def test_a_new_consultant_sets_up_the_app_and_logs_in_with_it(guarded_context, live_server):
    context, guard = guarded_context(viewport=PHONE)
    page = context.new_page()
    email = live_server.emails["new consultant"]
    visit(page, guard, "/login")
    page.get_by_label(nl("E-mail address"), exact=True).fill(email)
    page.get_by_label(nl("Password"), exact=True).fill(live_server.password)
    page.locator("main form").get_by_role("button", name=nl("Log in")).click()
    page.wait_for_load_state()
    guard.check(page)

    assert urlsplit(page.url).path == "/mfa/setup"
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Set up the second login step"))
    qr = page.get_by_role("img", name=nl("QR code for your authenticator app"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0  # the image loaded under the CSP
    assert not page_problems(page)

    # the person types the key shown into their app, which then shows a code
    key = page.locator("code.secret-key").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)
    code_label = nl("Code from your authenticator app")
    guard.expect_status(page.url, 400)
    page.get_by_label(code_label, exact=True).fill("12345")
    page.get_by_role("button", name=nl("Switch on")).click()
    page.wait_for_load_state()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()

    page.get_by_label(code_label, exact=True).fill(app.now())
    page.get_by_role("button", name=nl("Switch on")).click()
    page.wait_for_load_state()
    guard.check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Your recovery codes"))
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(set(codes)) == 10
    assert not page_problems(page)
    page.get_by_role("link", name=nl("I have saved the codes. Continue")).click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/caseload"

    # next time: the password, then a recovery code (the phone is at home)
    log_out(page, guard)
    visit(page, guard, "/login")
    page.get_by_label(nl("E-mail address"), exact=True).fill(email)
    page.get_by_label(nl("Password"), exact=True).fill(live_server.password)
    page.locator("main form").get_by_role("button", name=nl("Log in")).click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/mfa"
    assert not page_problems(page)
    page.get_by_role("link", name=nl("I do not have my phone: use a recovery code")).click()
    page.wait_for_load_state()
    assert not page_problems(page)
    page.get_by_label(nl("Recovery code"), exact=True).fill(codes[0])
    page.locator("main form").get_by_role("button", name=nl("Log in")).click()
    page.wait_for_load_state()
    guard.check(page)
    assert urlsplit(page.url).path == "/caseload"
