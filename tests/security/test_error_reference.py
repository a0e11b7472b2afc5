"""The 500 page's reference is the request id of the log lines, so an operator finds the
trace from the code a user reads out (security.md R31, R40)."""

from __future__ import annotations

import logging
import re

from marketplace.logs import RequestContextFilter
from tests.security.test_errors import broken_app  # noqa: F401  (the fixture)

CODE = re.compile(r"code: ([0-9a-f]+)\b")


def test_the_reference_on_the_500_page_is_the_request_id_of_its_log_lines(broken_app, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestContextFilter())

    response = broken_app.test_client().get("/test-only/crash")

    assert response.status_code == 500
    reference = CODE.search(response.get_data(as_text=True)).group(1)
    ids = {
        record.getMessage().split()[0]: record.request_fields.get("request_id")
        for record in caplog.records
        if record.name in ("marketplace.errors", "marketplace.access")
    }
    assert ids.get("server_error") == reference, ids  # the line with the traceback
    assert ids.get("GET") == reference, ids  # the request's access line
