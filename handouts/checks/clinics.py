"""Check the clinic profiles: their logos, and their words in every language printed.

A profile's fasting and arrival rules are sentences a patient must follow. A handout in
Spanish never prints them in English (as translations.py never slips English into one):
a rule without its words in a language the site prints is an error until the clinic
writes them, or writes "" to leave a blank to fill in by hand.
"""

from __future__ import annotations

import re

from babel import Locale

from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.model import Clinic
from ..findings import Finding, error, warning

LOGO_PATH = re.compile(r"^images/[a-z0-9]+(-[a-z0-9]+)*\.svg$")
RULES = ("fasting", "arrival")   # sentences: never printed in another language
PHONES = ("phone", "after_hours_phone")  # numbers, but "press 2 for the nurse" is words
WORD = re.compile(r"[^\W\d_]{2,}")
NOT_WORDS = {"ext", "extension"}  # what a phone number may say in any language


def check(library: Library) -> list[Finding]:
    """Every profile's logo and translations, default profile first."""
    found: list[Finding] = []
    for clinic in [library.clinic, *library.clinics.values()]:
        found += _logo(library, clinic)
        found += _languages(library, clinic)
    return found


def _logo(library: Library, clinic: Entry[Clinic]) -> list[Finding]:
    """An SVG in content/images/, so it prints sharp and stays small."""
    logo = clinic.value.logo
    if not logo:
        return []
    if not LOGO_PATH.match(logo):
        return [error(clinic.doc.at(("logo",)), f"logo '{logo}' must be written images/NAME.svg, an SVG "
                      "file in content/images/", "bad-logo")]
    if not (library.root / logo).is_file():
        return [error(clinic.doc.at(("logo",)), f"no file content/{logo}; put the logo there or fix the "
                      "name", "bad-logo")]
    return []


def _languages(library: Library, clinic: Entry[Clinic]) -> list[Finding]:
    found: list[Finding] = []
    printed = library.site.value.languages
    profile, doc = clinic.value, clinic.doc
    for lang in profile.translations:
        if lang == SOURCE_LANGUAGE:
            found.append(error(doc.key_at(("translations", lang)), "the profile's own details are the English "
                               "ones: move these up out of translations:", "clinic-translation"))
        elif lang not in printed:
            found.append(warning(doc.key_at(("translations", lang)), f"site.yaml prints no '{lang}' handouts, so "
                                 "these details never print; add the language to site.yaml or delete them",
                                 "clinic-translation"))
    asked = {d for b in library.blocks.values() for d in b.value.clinic_details}
    for lang in printed:
        if lang == SOURCE_LANGUAGE:
            continue
        words = profile.translations.get(lang)
        language = Locale.parse(lang).get_display_name("en")
        for detail in RULES:
            if detail in asked and getattr(profile, detail) and (words is None or getattr(words, detail) is None):
                found.append(error(doc.at((detail,)), f"{detail} has no {language} words: the {language} handouts "
                                   f"would print it in English. Write it under translations: {lang}: {detail}: "
                                   f"(or {detail}: \"\" there for a blank to fill in by hand)", "untranslated-clinic"))
        for detail in PHONES:
            said = [w for w in WORD.findall(getattr(profile, detail)) if w.lower() not in NOT_WORDS]
            if len(said) >= 2 and (words is None or getattr(words, detail) is None):
                found.append(warning(doc.at((detail,)), f"{detail} has words in it ('{' '.join(said)}') that the "
                                     f"{language} handouts print in English; write it under translations: "
                                     f"{lang}: {detail}:", "untranslated-clinic"))
    return found
