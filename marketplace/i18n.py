"""Languages: choosing the interface language, and what the templates need to show it."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

#: languages written right to left
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}

#: each language's name in that language, for the language menu
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "ti": "ትግርኛ",
    "fa": "فارسی",
}


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else what the browser asks."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line and e-mails rendered by force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction() -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and give templates the language, direction and the language menu."""
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def _language_context() -> dict:
        return {
            "current_language": str(get_locale()),
            "text_direction": text_direction(),
            "rtl_languages": RTL_LANGUAGES,
            "available_languages": [
                (code, LANGUAGE_NAMES.get(code, code)) for code in app.config["LANGUAGES"]
            ],
        }
