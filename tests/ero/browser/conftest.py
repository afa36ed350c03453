# The running service and browsers of the citizen journey's browser tests.
from tests.browser.conftest import browser, page, page_without_js, service  # noqa: F401
