"""Page objects: the hosted sign-in pages and the demo app, addressed by data-testid."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.support.smtp import MailSink


@dataclass
class SignInPage:
    page: Page
    mail: MailSink

    def enter_email(self, email: str, *, first_name: str = "", last_name: str = "") -> None:
        if first_name:
            self.page.get_by_test_id("first-name-input").fill(first_name)
            self.page.get_by_test_id("last-name-input").fill(last_name)
        self.page.get_by_test_id("email-input").fill(email)
        self.page.get_by_test_id("email-submit").click()

    def enter_code_from_mail(self, email: str, *, after: int = 0) -> None:
        expect(self.page.get_by_test_id("code-input")).to_be_visible()
        code = self.mail.wait_for(email, after=after).code
        self.page.get_by_test_id("code-input").fill(code)
        self.page.get_by_test_id("code-submit").click()

    def enter_code(self, code: str) -> None:
        self.page.get_by_test_id("code-input").fill(code)
        self.page.get_by_test_id("code-submit").click()

    def sign_in(self, email: str, **names: str) -> None:
        before = self.mail.count(email)
        self.enter_email(email, **names)
        self.enter_code_from_mail(email, after=before)

    def error(self) -> str:
        alert = self.page.get_by_test_id("error-message")
        expect(alert).to_be_visible()
        return alert.inner_text()


@dataclass
class OrganizationStep:
    """The hosted login's organization step: invitations to answer, organizations to choose."""

    page: Page

    def invitation(self, invitation_id: str) -> Locator:
        return self.page.get_by_test_id(f"invitation-{invitation_id}")

    def accept(self, invitation_id: str) -> Locator:
        return self.page.get_by_test_id(f"invitation-accept-{invitation_id}")

    def decline(self, invitation_id: str) -> Locator:
        return self.page.get_by_test_id(f"invitation-decline-{invitation_id}")

    def status(self) -> Locator:
        return self.page.get_by_test_id("invitation-status")


@dataclass
class MagicLinkConfirmation:
    """The page a magic link shows in a browser other than the one that asked for it."""

    page: Page

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def replaces(self) -> Locator:
        return self.page.get_by_test_id("magic-link-replaces")

    def confirm(self) -> Locator:
        return self.page.get_by_test_id("magic-link-confirm")


@dataclass
class DemoApp:
    page: Page
    base_url: str

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/demo/")

    def sign_in(self, prompt: str = "") -> None:
        self.page.goto(f"{self.base_url}/demo/login" + (f"?prompt={prompt}" if prompt else ""))

    def welcome(self) -> str:
        return self.page.get_by_test_id("demo-welcome").inner_text()

    def claims(self) -> str:
        return self.page.get_by_test_id("demo-claims").inner_text()


AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2 A/AA rules) on the current page; needs a context with bypass_csp."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@dataclass
class Portal:
    page: Page
    base_url: str

    def open(self, path: str = "/ui/") -> None:
        self.page.goto(f"{self.base_url}{path}")

    def nav(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"nav-{name}")

    def go(self, name: str) -> None:
        """Follow a navigation link; on a phone it is in the drawer the Menu button opens."""
        if not self.nav(name).is_visible() and self.page.get_by_test_id("nav-menu").is_visible():
            self.page.get_by_test_id("nav-menu").click()
        self.nav(name).click()

    def member_row(self, email: str) -> Locator:
        return self.page.get_by_test_id(f"member-row-{email}")

    def invite(self, emails: str, role: str) -> None:
        """Invite through the dialog behind the Invite button; every address must be invited."""
        self.page.get_by_test_id("invite-open").click()
        self.page.get_by_test_id("invite-emails").fill(emails)
        self.page.get_by_test_id("invite-role").select_option(role)
        self.page.get_by_test_id("invite-submit").click()
        expect(self.page.get_by_test_id("invite-emails")).to_be_hidden()
        expect(self.page.get_by_test_id("toast").last).to_contain_text("Invited")

    def member_actions(self, email: str) -> Locator:
        """The row's "⋯" button."""
        return self.page.get_by_test_id(f"member-actions-{email}")

    def choose_member_action(self, email: str, action: str) -> None:
        """Open the row's menu and pick `action` ("change-role" or "remove")."""
        self.member_actions(email).click()
        self.page.get_by_test_id(f"member-{action}-{email}").click()

    def change_role(self, email: str, role: str) -> None:
        """Change role… in the row's menu, pick the role, confirm; wait for the server's answer."""
        self.choose_member_action(email, "change-role")
        self.page.get_by_test_id(f"member-role-option-{role}").check()
        with self.page.expect_response(
            lambda response: (
                response.url.endswith("/graphql") and "changeMemberRole" in (response.request.post_data or "")
            )
        ) as answered:
            self.page.get_by_test_id("member-role-confirm").click()
        assert answered.value.ok
        expect(self.page.get_by_test_id("member-role-confirm")).to_be_hidden()

    def remove(self, email: str) -> None:
        self.choose_member_action(email, "remove")
        self.page.get_by_test_id("member-remove-confirm").click()
        expect(self.member_row(email)).to_have_count(0)

    def sign_out(self) -> None:
        """Sign out from the account menu (a plain button when the account could not be loaded)."""
        if self.page.get_by_test_id("account-menu").is_visible():
            self.page.get_by_test_id("account-menu").click()
        self.page.get_by_test_id("sign-out").click()


@dataclass
class DomainsPage:
    """The portal's Domains page (tn-domains)."""

    page: Page

    def row(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"domain-row-{name}")

    def status(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"domain-status-{name}")

    def add(self, name: str, *, typed: str | None = None) -> None:
        """Add `name` (typing `typed`, such as it in capitals, when given)."""
        self.page.get_by_label("Domain", exact=True).fill(typed or name)
        self.page.get_by_test_id("domain-add").click()
        expect(self.row(name)).to_be_visible()

    def record(self, name: str) -> tuple[str, str]:
        """The TXT record's host and value as the page shows them."""
        host = self.page.get_by_test_id(f"domain-txt-name-{name}").inner_text().strip()
        value = self.page.get_by_test_id(f"domain-txt-value-{name}").inner_text().strip()
        return host, value

    def verify_now(self, name: str) -> str:
        """Press Verify now and answer the status message."""
        self.page.get_by_test_id(f"domain-verify-{name}").click()
        message = self.page.get_by_test_id("domains-status")
        expect(message).to_contain_text(name)
        return message.inner_text()

    def remove(self, name: str) -> None:
        self.page.get_by_test_id(f"domain-remove-{name}").click()
        self.page.get_by_test_id("domain-remove-confirm").click()
        expect(self.row(name)).to_have_count(0)


@dataclass
class GraphiQLPage:
    """GraphiQL at /graphql (development): Monaco editors addressed by GraphiQL's own classes."""

    page: Page
    base_url: str

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/graphql")
        expect(self.page.locator(".graphiql-query-editor .monaco-editor")).to_be_visible()

    def type_query(self, query: str) -> None:
        """Replace the editor's text with `query`, typed key by key as a person would."""
        self.page.locator(".graphiql-query-editor .monaco-editor").click()
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(query)

    def run(self) -> None:
        self.page.locator(".graphiql-execute-button").click()

    def response(self) -> Locator:
        return self.page.locator(".graphiql-response .view-lines")


@dataclass
class SsoPage:
    """The portal's Single sign-on page (tn-sso-connections and tn-sso-setup)."""

    page: Page

    def add(self, provider: str) -> None:
        """Add connection, then pick `provider` (such as OKTA) and wait for its guide."""
        self.page.get_by_test_id("sso-add").click()
        self.page.get_by_test_id(f"sso-provider-{provider}").click()
        expect(self.page.get_by_test_id("sso-guide-steps")).to_be_visible()

    def value(self, name: str) -> str:
        """One of our values the guide shows, such as acsUrl or attr-email."""
        return self.page.get_by_test_id(f"sso-value-{name}").inner_text().strip()

    def copy(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"sso-copy-{name}")

    def paste_metadata(self, xml: str) -> None:
        self.page.get_by_test_id("sso-metadata-xml").fill(xml)
        self.page.get_by_test_id("sso-idp-save").click()

    def status(self) -> Locator:
        return self.page.get_by_test_id("sso-status")

    def test_link(self) -> Locator:
        return self.page.get_by_test_id("sso-test-link")

    def enable(self) -> Locator:
        return self.page.get_by_test_id("sso-enable")

    def requirement_switch(self) -> Locator:
        """The "Require single sign-on" switch under the connections (tn-sso-requirement)."""
        return self.page.get_by_role("switch", name="Require single sign-on for your verified domains")

    def keep_as_break_glass(self, label: str) -> None:
        """Pick the admin whose option reads `label` and Add them to the break-glass admins."""
        self.page.get_by_test_id("sso-break-glass-add").select_option(label=label)
        self.page.get_by_test_id("sso-break-glass-add-button").click()

    def save_requirement(self) -> None:
        self.page.get_by_test_id("sso-requirement-save").click()

    def confirm_requirement(self) -> Locator:
        return self.page.get_by_test_id("sso-requirement-confirm")


@dataclass
class ScimPage:
    """The portal's Directory sync page (tn-scim-directories and tn-scim-directory)."""

    page: Page

    def open(self, directory_id: str) -> None:
        self.page.get_by_test_id(f"scim-open-{directory_id}").click()
        expect(self.page.get_by_test_id("scim-base-url")).to_be_visible()

    def token(self) -> str:
        """The token the page shows once, right after it was made."""
        value = self.page.get_by_test_id("scim-token-value")
        expect(value).to_be_visible()
        return value.inner_text().strip()

    def base_url(self) -> str:
        return self.page.get_by_test_id("scim-base-url").inner_text().strip()

    def status(self) -> Locator:
        return self.page.get_by_test_id("scim-status")

    def map_group(self, group: str, role: str) -> None:
        """Add a row to the group → role table for `group`, give it `role`, and save."""
        self.page.get_by_test_id("scim-mapping-add").click()
        row = self.page.get_by_test_id("scim-mapping-row").last
        row.get_by_test_id("scim-mapping-group").select_option(label=group)
        row.get_by_test_id("scim-mapping-role").select_option(role)
        self.page.get_by_test_id("scim-settings-save").click()
