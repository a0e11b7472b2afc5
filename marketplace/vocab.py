"""Closed vocabularies shared by several areas (exchange-format.md): one definition each."""

from enum import StrEnum


class DutchLevel(StrEnum):
    NONE = "none"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"

    @property
    def rank(self) -> int:
        return list(DutchLevel).index(self)


class Schedule(StrEnum):
    WEEKDAY_MORNING = "weekday_morning"
    WEEKDAY_AFTERNOON = "weekday_afternoon"
    WEEKDAY_EVENING = "weekday_evening"
    WEEKEND = "weekend"


class PhysicalDemand(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    HEAVY = "heavy"

    @property
    def rank(self) -> int:
        return list(PhysicalDemand).index(self)


class LearningRoute(StrEnum):
    B1 = "b1"
    EDUCATION = "education"
    Z = "z"
