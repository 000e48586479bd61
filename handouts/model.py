"""The content model: what editors write in content/, as typed, frozen values.

The shapes here are the content-tree contract of DESIGN.md. Pydantic checks
them; load.py turns its complaints into findings at the right line.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

TIERS = ("overview", "expectations", "risks")
Tier = Literal["overview", "expectations", "risks"]
Variant = Literal["standard", "large"]
PageSize = Literal["letter", "a4"]
BlockKind = Literal["text", "list", "steps", "checklist", "warning", "urgent", "contact", "questions"]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def _web_address(value: str) -> str:
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("must be a web address starting with https:// or http://")
    return value


WebAddress = Annotated[OptionalText, AfterValidator(_web_address)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TierSettings(Model):
    title: Text
    max_pages: int = Field(ge=1, le=20)
    max_grade: float = Field(default=8.0, ge=1, le=20)


class Site(Model):
    """content/site.yaml: what to build."""

    title: Text
    author: Text
    languages: tuple[Lang, ...] = Field(default=("en",), min_length=1)
    page_sizes: tuple[PageSize, ...] = Field(default=("letter",), min_length=1)
    variants: tuple[Variant, ...] = Field(default=("standard",), min_length=1)
    tiers: dict[Tier, TierSettings]

    @model_validator(mode="after")
    def _every_tier(self) -> Site:
        missing = [t for t in TIERS if t not in self.tiers]
        if missing:
            raise ValueError(f"tiers: missing settings for {', '.join(missing)}")
        return self


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


class Source(Model):
    """One entry of content/sources.yaml."""

    title: Text
    author: OptionalText = ""
    publisher: OptionalText = ""
    year: int = Field(ge=1900, le=2100)
    identifier: OptionalText = ""
    url: WebAddress = ""
    note: OptionalText = ""

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


class Review(Model):
    """Who checked the content, when, and when it must be checked again."""

    status: Literal["draft", "approved"] = "draft"
    reviewed_by: OptionalText = ""
    reviewed_on: datetime.date | None = None
    next_review: datetime.date | None = None

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


class Topic(Model):
    """content/topics/<id>.yaml: one subject, printed as three handouts."""

    title: Text
    summary: OptionalText = ""
    review: Review = Review()
    handouts: Handouts
