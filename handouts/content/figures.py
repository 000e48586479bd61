"""The data behind a block's picture: a risk chart, a schedule, pictograms.

A picture is drawn from these values (press/figures.py), never by hand, so it cannot go
stale when a number changes. The numbers live in the English block; a translation gives
the words (labels and sentences) in its own language, item for item (see `*Text`).
Whether the numbers and the words agree is checked by checks/figures.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]
IconName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChartRow(_Model):
    """One effect: how many of `per` people had it with the treatment, and with placebo."""

    label: Text                      # "Dizzy": printed above the pictures
    treated: int = Field(ge=0)       # out of the chart's `per`
    placebo: int | None = Field(default=None, ge=0)  # the comparison group; none when there was none
    says: Text                       # the sentence printed beside the picture, and its alternative text


class Chart(_Model):
    """An icon array per group for each effect, all out of one denominator."""

    per: Literal[10, 100]            # one denominator for the whole chart: 10 or 100 figures per picture
    treated: Text                    # the treated group's name under its picture ("Spravato")
    placebo: OptionalText = ""       # the comparison group's name ("Dummy spray"), when rows have one
    rows: tuple[ChartRow, ...] = Field(min_length=1, max_length=6)


class Stage(_Model):
    """One stretch of a schedule: a course's weeks, or a step of a visit."""

    label: Text                      # "Weeks 1 to 4": printed under its stretch of the line
    says: Text                       # "Twice a week": what happens then, printed with the label
    length: int = Field(default=1, ge=1, le=52)   # its share of the line (weeks, or equal steps)
    marks: int = Field(default=0, ge=0, le=12)    # doses in it, drawn as dots on the line
    icon: IconName | None = None     # a pictogram (templates/icons/) drawn above it
    open: bool = False               # it goes on: the line ends in an arrow


class Schedule(_Model):
    caption: OptionalText = ""       # what the line shows, printed above it ("For treatment-resistant depression")
    stages: tuple[Stage, ...] = Field(min_length=1, max_length=6)


class ChartRowText(_Model):
    label: Text
    says: Text


class ChartText(_Model):
    """A translation's words for a chart; the numbers are the English block's."""

    treated: Text
    placebo: OptionalText = ""
    rows: tuple[ChartRowText, ...] = Field(min_length=1, max_length=6)


class StageText(_Model):
    label: Text
    says: Text


class ScheduleText(_Model):
    caption: OptionalText = ""
    stages: tuple[StageText, ...] = Field(min_length=1, max_length=6)
