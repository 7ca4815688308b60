"""What the plant builds: models with their mix, options and paint colours."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from taktline.model.base import Frozen
from taktline.model.plant import Identifier


class ProductModel(Frozen):
    """A car model: its share of the mix while it is in production."""

    id: Identifier = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str | None = None
    mix_share: float = Field(ge=0, le=1, description="share of output while in production")
    launch: date | None = Field(default=None, description="first production or sales date")
    end_of_production: date | None = None

    def in_production(self, day: date) -> bool:
        """Whether the model is built on ``day``."""
        started = self.launch is None or self.launch <= day
        ended = self.end_of_production is not None and day > self.end_of_production
        return started and not ended


class Spacing(Frozen):
    """A car-sequencing rule: at most ``p`` cars with the option in any ``q`` in a row."""

    p: int = Field(ge=1)
    q: int = Field(ge=1)

    @model_validator(mode="after")
    def _p_not_above_q(self) -> Spacing:
        if self.p > self.q:
            raise ValueError(f"p={self.p} cannot exceed q={self.q}")
        return self


class Option(Frozen):
    """An option some cars carry, with its take rate and the station it loads."""

    id: Identifier = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str | None = None
    take_rate: float = Field(ge=0, le=1, description="share of cars with the option")
    models: tuple[Identifier, ...] = Field(
        default=(), description="models that can have it (all when empty)"
    )
    station: Identifier | None = Field(default=None, description="station whose work it adds to")
    spacing: Spacing | None = None


class Colour(Frozen):
    """A paint colour and its share of orders."""

    id: Identifier = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str | None = None
    share: float = Field(ge=0, le=1)


class Products(Frozen):
    """The product programme: models, options, colours, and the paint batch limit."""

    models: tuple[ProductModel, ...] = Field(min_length=1)
    options: tuple[Option, ...] = ()
    colours: tuple[Colour, ...] = ()
    paint_batch_limit: int | None = Field(
        default=None, ge=1, description="most cars of one colour painted in a row"
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> Products:
        total = sum(m.mix_share for m in self.models)
        if total <= 0:
            raise ValueError("model mix shares must not all be 0")
        if self.colours:
            colour_total = sum(c.share for c in self.colours)
            if abs(colour_total - 1) > 1e-6:
                raise ValueError(f"colour shares add up to {colour_total:g}, not 1")
        ids = [m.id for m in self.models]
        for option in self.options:
            unknown = [m for m in option.models if m not in ids]
            if unknown:
                raise ValueError(f"option {option.id!r} names unknown models {unknown}")
        return self

    def mix_on(self, day: date | None = None) -> dict[str, float]:
        """Mix shares of the models in production on ``day``, normalised to 1."""
        live = [m for m in self.models if day is None or m.in_production(day)]
        total = sum(m.mix_share for m in live)
        if total <= 0:
            return {}
        return {m.id: m.mix_share / total for m in live}
