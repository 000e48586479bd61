"""Check the clinic profiles: their logos, and their words in every language printed.

A profile's fasting and arrival rules are sentences a patient must follow. A handout in
Spanish never prints them in English (as translations.py never slips English into one):
a rule without its words in a language the site prints is an error until the clinic
writes them, or writes "" to leave a blank to fill in by hand; so is a phone line with
words in it ("press 2 for the nurse on call").
"""

from __future__ import annotations

import re

from babel import Locale

from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.model import Clinic
from ..findings import Finding, error, warning
from .handout_text import texts

LOGO_PATH = re.compile(r"^images/[a-z0-9]+(-[a-z0-9]+)*\.svg$")
RULES = ("fasting", "arrival")   # sentences: never printed in another language
PHONES = ("phone", "after_hours_phone")  # numbers, but "press 2 for the nurse" is words
WORD = re.compile(r"[^\W\d_]{2,}")
NOT_WORDS = {"ext", "extension"}  # what a phone number may say in any language
# What stands in for a detail not yet known: it would print as it is, for a patient to act on.
STAND_IN = re.compile(r"\b(?:TBD|TBA|TODO|FIXME|X{3,}|lorem ipsum)\b|\?{2,}", re.IGNORECASE)


def check(library: Library) -> list[Finding]:
    """Every profile's logo and translations, default profile first."""
    found: list[Finding] = []
    asked = frozenset(d for b in library.blocks.values() for d in b.value.clinic_details)  # the rules printed
    for clinic in [library.clinic, *library.clinics.values()]:
        found += _logo(library, clinic)
        found += _stand_ins(clinic)
        found += _languages(library, clinic, asked)
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


def _stand_ins(clinic: Entry[Clinic]) -> list[Finding]:
    """"TBD", "555-XXXX": a detail to be found out prints as a blank, never as a stand-in."""
    return [error(clinic.doc.at(keys), f"'{match.group(0)}' stands in for a detail: write the real one, or \"\" "
                  "to print a blank to fill in by hand", "placeholder")
            for keys, text in texts(clinic.doc.data) if (match := STAND_IN.search(text))]


def _languages(library: Library, clinic: Entry[Clinic], asked: frozenset[str]) -> list[Finding]:
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
    written = doc.data.get("translations") if isinstance(doc.data, dict) else None
    for lang in printed:
        if lang == SOURCE_LANGUAGE:
            continue
        words = profile.translations.get(lang)
        given = written.get(lang) if isinstance(written, dict) else None
        language = Locale.parse(lang).get_display_name("en")
        for detail in (*RULES, *PHONES):
            english = getattr(profile, detail)
            if detail in RULES and not (detail in asked and english):
                continue
            said = [w for w in WORD.findall(english) if w.lower() not in NOT_WORDS]
            if detail in PHONES and len(said) < 2:
                continue  # a number (and an extension) reads the same in every language
            if words is not None and getattr(words, detail) is not None:
                continue
            if isinstance(given, dict) and detail in given:  # written, but with nothing after the colon
                found.append(error(doc.key_at(("translations", lang, detail)), f"{detail} is empty: write its "
                                   f"{language} words, or {detail}: \"\" for a blank to fill in by hand",
                                   "untranslated-clinic"))
            elif detail in RULES:
                found.append(error(doc.at((detail,)), f"{detail} has no {language} words: the {language} handouts "
                                   f"would print it in English. Write it under translations: {lang}: {detail}: "
                                   f"(or {detail}: \"\" there for a blank to fill in by hand)",
                                   "untranslated-clinic"))
            else:
                found.append(error(doc.at((detail,)), f"{detail} '{english}' has words that the {language} "
                                   f"handouts would print in English; write it under translations: {lang}: "
                                   f"{detail}: (the number alone will do)", "untranslated-clinic"))
    return found
