"""Page objects: the hosted sign-in pages and the demo app, addressed by data-testid."""

from dataclasses import dataclass

from playwright.sync_api import Page, expect

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
