"""The stricter of the application's default and the organization's policy, timeout by timeout."""

import pytest

from resolvers.session_policy import Timeouts, stricter

DAY = 24 * 60


@pytest.mark.parametrize(
    ("app", "organization", "expected"),
    [
        (Timeouts(7 * DAY, None), None, Timeouts(7 * DAY, None)),  # no policy: the app's defaults
        (Timeouts(7 * DAY, None), Timeouts(30 * DAY, None), Timeouts(7 * DAY, None)),  # app stricter
        (Timeouts(7 * DAY, None), Timeouts(8 * 60, None), Timeouts(8 * 60, None)),  # organization stricter
        (Timeouts(7 * DAY, None), Timeouts(DAY, 30), Timeouts(DAY, 30)),  # idle only on the organization
        (Timeouts(7 * DAY, 60), Timeouts(30 * DAY, None), Timeouts(7 * DAY, 60)),  # idle only on the app
        (Timeouts(7 * DAY, 60), Timeouts(DAY, 120), Timeouts(DAY, 60)),  # each timeout on its own
        (Timeouts(7 * DAY, 120), Timeouts(30 * DAY, 45), Timeouts(7 * DAY, 45)),  # mixed winners
    ],
)
def test_each_timeout_takes_the_stricter_side(
    app: Timeouts, organization: Timeouts | None, expected: Timeouts
) -> None:
    assert stricter(app, organization) == expected
