"""The content model: what editors write in content/, as typed, frozen values.

The shapes here are the content-tree contract of DESIGN.md. Pydantic checks
them; load.py turns its complaints into findings at the right line.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .figures import Chart, ChartText, IconName, Schedule, ScheduleText

TIERS = ("overview", "expectations", "risks")
Tier = Literal["overview", "expectations", "risks"]
Variant = Literal["standard", "large"]
PageSize = Literal["letter", "a4"]
BlockKind = Literal["text", "list", "steps", "checklist", "warning", "urgent", "contact", "questions",
                    "chart", "schedule", "pictograms"]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]
LANG_PATTERN = r"^[a-z]{2}$"  # ISO 639-1
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def _web_address(value: str) -> str:
    if value and not re.match(r"^https://[^\s/]+", value):  # https only, as links in bodies (markdown.py)
        raise ValueError("must be a web address starting with https:// (not http://: a patient types or "
                         "scans what is printed, and a plain http page can be altered on the way)")
    return value


WebAddress = Annotated[OptionalText, AfterValidator(_web_address)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TierSettings(Model):
    max_pages: int = Field(ge=1, le=20)
    max_grade: float = Field(default=8.0, ge=1, le=20)   # English: Flesch-Kincaid grade, at most
    # Spanish: reading ease, at least (higher is easier). Unset: the Fernandez-Huerta grade band meets max_grade.
    min_fernandez_huerta: float | None = Field(default=None, ge=0, le=120)
    min_inflesz: float | None = Field(default=None, ge=0, le=120)  # Szigriszt-Pazos, read on the INFLESZ scale


class Site(Model):
    """content/site.yaml: what to build."""

    title: Text
    author: Text
    languages: tuple[Lang, ...] = Field(default=("en",), min_length=1)
    page_sizes: tuple[PageSize, ...] = Field(default=("letter",), min_length=1)
    variants: tuple[Variant, ...] = Field(default=("standard",), min_length=1)
    web_address: WebAddress = ""  # where dist/ is served; handouts then carry a QR code to their page
    tiers: dict[Tier, TierSettings]

    @model_validator(mode="after")
    def _every_tier(self) -> Site:
        missing = [t for t in TIERS if t not in self.tiers]
        if missing:
            raise ValueError(f"tiers: missing settings for {', '.join(missing)}")
        return self


class TierTitles(Model):
    overview: Text
    expectations: Text
    risks: Text


class Strings(Model):
    """content/strings.yaml (and content/<lang>/strings.yaml): the words the templates print."""

    tiers: TierTitles
    page: Text
    of: Text
    draft: Text
    draft_notice: Text
    draft_footer: Text
    reviewed: Text
    clinic: Text
    phone: Text
    clinic_phone: Text
    after_hours: Text
    address: Text
    web_site: Text
    blank: Text
    sources: Text
    important: Text
    online: Text
    qr_alt: Text
    patient_name: Text
    next_visit: Text
    packet: Text
    logo_alt: Text
    fasting: Text
    arrival: Text
    changed: Text          # "Changed since it was reviewed on" (the date follows)
    not_rereviewed: Text   # "not yet re-reviewed"
    by: Text              # "Reviewed on DATE by WHO"
    editions: Text        # the web page's links to the printable editions
    pdf_link: Text
    large_link: Text
    packet_link: Text
    all_handouts: Text
    language: Text        # this language's name, in itself
    handout: Text
    language_column: Text
    status: Text
    chart_had: Text        # the key of a risk chart: a filled figure is a person who "had it"
    chart_not: Text        # an outlined figure, a person who "did not"
    icons: dict[IconName, Text] = {}  # each pictogram's name in words: its alternative text
    author: OptionalText = ""  # the PDF's author in this language when the clinic has no name (else site.yaml's)
    in_language: dict[Lang, Text] = {}  # said of sources in another language: {en: "(en inglés)"}


class ClinicWords(Model):
    """A clinic profile's details in another language (`translations: {es: ...}`).

    A detail left out prints as the profile's own; "" prints a blank to fill in by hand.
    """

    name: OptionalText | None = None
    phone: OptionalText | None = None
    after_hours_phone: OptionalText | None = None
    address: OptionalText | None = None
    website: WebAddress | None = None
    fasting: OptionalText | None = None
    arrival: OptionalText | None = None


class Clinic(Model):
    """content/clinic.yaml: the clinic whose name and numbers the handouts carry.

    An empty detail prints as a marked blank to fill in by hand, never invented.
    """

    name: OptionalText = ""
    phone: OptionalText = ""
    after_hours_phone: OptionalText = ""
    address: OptionalText = ""
    website: WebAddress = ""
    fasting: OptionalText = ""
    arrival: OptionalText = ""
    logo: OptionalText = ""  # images/<name>.svg in content/, printed in the header
    translations: dict[Lang, ClinicWords] = {}  # the details in the other languages handouts are printed in

    def in_language(self, lang: str) -> Clinic:
        """The profile as a handout in `lang` prints it: its translated details over its own
        (the other languages' left out, so that editing one reprints only its handouts)."""
        words = self.translations.get(lang)
        given = {k: v for k, v in words.model_dump().items() if v is not None} if words else {}
        return self.model_copy(update={**given, "translations": {}})


class Source(Model):
    """One entry of content/sources.yaml."""

    title: Text
    author: OptionalText = ""
    publisher: OptionalText = ""
    year: int = Field(ge=1900, le=2100)
    identifier: OptionalText = ""
    url: WebAddress = ""
    note: OptionalText = ""
    language: Lang = "en"   # the language the source is written in

    @model_validator(mode="after")
    def _someone_stands_behind_it(self) -> Source:
        if not (self.author or self.publisher):
            raise ValueError("give an author or a publisher")
        return self


class Block(Model):
    """content/blocks/<id>.yaml: one piece of a handout."""

    title: Text
    kind: BlockKind = "text"
    body: Text
    sources: tuple[Id, ...]
    clinic_details: tuple[Literal["fasting", "arrival"], ...] = ()  # the clinic's own rules, printed after the body
    chart: Chart | None = None          # kind chart: the numbers its icon arrays are drawn from
    schedule: Schedule | None = None    # kind schedule: the stretches of its timeline
    icons: tuple[IconName, ...] = ()    # kind pictograms: one pictogram per item of the body's list

    @model_validator(mode="after")
    def _picture_fits_kind(self) -> Block:
        wanted = {"chart": self.chart, "schedule": self.schedule, "pictograms": self.icons}
        for kind, data in wanted.items():
            key = "icons" if kind == "pictograms" else kind
            if kind == self.kind and not data:
                raise ValueError(f"a block of kind {kind} needs '{key}:' (see README, \"Pictures\")")
            if kind != self.kind and data:
                raise ValueError(f"'{key}:' belongs to a block of kind {kind}; set kind: {kind} or delete it")
        return self


Version = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]


class BlockTranslation(Model):
    """content/<lang>/blocks/<id>.yaml: a block in another language.

    `translates` is the version of the English block it was translated from (check
    prints the current one); kind and sources come from the English block.
    """

    translates: Version
    title: Text
    body: Text
    chart: ChartText | None = None        # a chart's words, row for row (its numbers are the English)
    schedule: ScheduleText | None = None  # a schedule's words, stage for stage


class Review(Model):
    """Who checked the content, when, and when it must be checked again."""

    status: Literal["draft", "approved"] = "draft"
    reviewed_by: OptionalText = ""
    reviewed_on: datetime.date | None = None
    next_review: datetime.date | None = None
    # What the reviewer saw (content/approval.py): written by `build.py approve`. An approval whose
    # digest no longer matches prints as changed since its review, not as approved.
    digest: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{16})?$")] = ""

    @model_validator(mode="after")
    def _approval_is_signed(self) -> Review:
        if self.status == "approved" and not (self.reviewed_by and self.reviewed_on and self.next_review):
            raise ValueError("an approved topic needs reviewed_by, reviewed_on and next_review")
        return self


class Handouts(Model):
    """A topic's tiers, each a list of block ids in reading order."""

    overview: tuple[Id, ...] = Field(min_length=1)
    expectations: tuple[Id, ...] = Field(min_length=1)
    risks: tuple[Id, ...] = Field(min_length=1)


class TopicTranslation(Model):
    """content/<lang>/topics/<id>.yaml: a topic's title and summary in another language,
    and the review of its translation by a qualified medical translator."""

    translates: Version
    title: Text
    summary: OptionalText = ""
    review: "Review" = Field(default_factory=lambda: Review())


class Code(Model):
    """One coded concept a topic answers for (an HL7 Infobutton request names one): the code
    system's OID, the code, its display name, and the source the code was checked in.
    Whether the system is known and the code well formed is checked by checks/codes.py."""

    system: Text    # the code system's OID, e.g. 2.16.840.1.113883.6.88 for RxNorm
    code: Text      # written in quotes: 238083, "G89.29"
    display: Text   # the system's name for the concept
    source: Id      # the entry of sources.yaml the code was looked up in


class Topic(Model):
    """content/topics/<id>.yaml: one subject, printed as three handouts."""

    title: Text
    summary: OptionalText = ""
    tags: tuple[Id, ...] = ()                 # which editorial rules apply beyond the universal ones
    languages: tuple[Lang, ...] | None = None  # the languages it is printed in; default: site.yaml's
    exemptions: dict[Text, Text] = {}         # rule name (required.yaml) or key (forbidden.yaml): the reason
    review: Review = Review()
    handouts: Handouts
    codes: tuple[Code, ...] = ()  # what the record finds this topic by (problems, drugs, procedures)


# The editorial lists, content/editorial/*.yaml: what the editorial checks look for (see checks/editorial.py).

def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"'{value}' is not a valid regular expression ({exc.msg}); "
                         "check its brackets and backslashes") from None
    return value


def _handout_pattern(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9*?-]+/(overview|expectations|risks|\*)", value):
        raise ValueError(f"'{value}' does not name handouts; write TOPIC/TIER, where * matches anything "
                         "(esketamine/risks, */overview, */*)")
    return value


Regex = Annotated[Text, AfterValidator(_regex)]
HandoutPattern = Annotated[str, AfterValidator(_handout_pattern)]


class Forbidden(Model):
    """content/editorial/forbidden.yaml: words that never belong in a handout, and why."""

    reason: Text
    phrases: tuple[Text, ...] = ()     # whole words, any case, spacing or hyphenation
    patterns: tuple[Regex, ...] = ()   # regular expressions, for what phrases cannot say (prices, doses)
    unless: tuple[Text, ...] = ()      # phrases that overlap a match and make it fine ("not a cure")
    instead: OptionalText = ""         # what to write instead
    tags: tuple[Id, ...] = ()          # only in topics with one of these tags; none: every topic

    @model_validator(mode="after")
    def _something_to_find(self) -> Forbidden:
        if not (self.phrases or self.patterns):
            raise ValueError("give phrases or patterns to look for")
        return self


class Jargon(Model):
    """content/editorial/jargon.yaml: a medical term, the plain words for it, and where it is explained."""

    plain: Text
    forms: tuple[Text, ...] = ()          # other spellings and forms of the term
    explained_in: tuple[Id, ...] = ()     # blocks that explain it for every handout they are in


class GlossaryTerm(Model):
    """content/<lang>/editorial/glossary.yaml: a medical word and the patient's words for it."""

    plain: tuple[Text, ...] = Field(min_length=1)  # the plain wording; any of them counts, the first is suggested
    forms: tuple[Text, ...] = ()                   # other forms and spellings of the term


class Requirement(Model):
    """content/editorial/required.yaml: a message the chosen handouts must carry."""

    name: Text
    handouts: tuple[HandoutPattern, ...]
    any: tuple[Regex, ...]   # present when one of these matches (any case)
    hint: OptionalText = ""
    tags: tuple[Id, ...] = ()  # only in topics with one of these tags; none: every topic the handouts name

    @model_validator(mode="after")
    def _not_empty(self) -> Requirement:
        # Checked here, not with min_length: pydantic would add a second, misleading error to a bad item.
        if not (self.handouts and self.any):
            raise ValueError("give at least one handout (TOPIC/TIER) and one expression under any")
        return self
