import pytest

from collis.interop.actions import issue_api_token


@pytest.fixture
def bearer(db):
    """Issue a token for a user and return the Authorization header kwargs for the test client."""

    def make(user, *scopes: str) -> dict[str, str]:
        _, raw = issue_api_token(user, "test client", list(scopes) or ["*.read"])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
