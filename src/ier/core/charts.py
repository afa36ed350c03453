"""What the server-drawn bar charts show: one bar a label and its value."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    shown: str = ""

    def __post_init__(self):
        self.shown = self.shown or f"{self.value:,}"
